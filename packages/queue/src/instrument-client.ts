import { isClassified } from '@sync/errors';
import type { CallSample } from './metrics-store';

/**
 * Wraps a client (JST or Kingdee) so every method that returns a promise reports `{system, op, ms, ok, code}` to
 * `record` when it settles; results and errors pass through untouched. `op` is the method name, or for JST the
 * endpoint path (first string argument) so latency is per endpoint. `record` must not throw (it is best effort).
 * Methods that return something else (async generators ...) are passed through unmeasured.
 */
export function instrumentClient<T extends object>(
  client: T,
  system: CallSample['system'],
  record: (sample: CallSample) => void,
  now: () => number = () => performance.now(),
): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const started = now();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        const op = system === 'jst' && typeof args[0] === 'string' ? args[0] : prop;
        return result.then(
          (v: unknown) => {
            record({ system, op, ms: now() - started, ok: true });
            return v;
          },
          (err: unknown) => {
            record({ system, op, ms: now() - started, ok: false, code: isClassified(err) ? err.code : 'UNEXPECTED' });
            throw err;
          },
        );
      };
    },
  });
}
