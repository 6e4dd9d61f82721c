import { PermanentError } from '@sync/errors';
import type { CallSample } from './metrics-store';
import { instrumentClient } from './instrument-client';

describe('instrumentClient', () => {
  it('reports latency and outcome of every promise-returning method, passing results and errors through', async () => {
    const samples: CallSample[] = [];
    let t = 0;
    const client = {
      base: 'x',
      async call(path: string) { t += 30; return `${this.base}:${path}`; },
      async save(_formId: string) { t += 5; throw new PermanentError('AUTH_FAILED', 'login refused'); },
      sync() { return 1; },
    };
    const timed = instrumentClient(client, 'jst', (s) => samples.push(s), () => t);
    await expect(timed.call('/open/orders/out/simple/query')).resolves.toBe('x:/open/orders/out/simple/query');
    expect(timed.sync()).toBe(1);
    const k = instrumentClient(client, 'kingdee', (s) => samples.push(s), () => t);
    await expect(k.save('SAL_OUTSTOCK')).rejects.toThrow('login refused');
    expect(samples).toEqual([
      { system: 'jst', op: '/open/orders/out/simple/query', ms: 30, ok: true },
      { system: 'kingdee', op: 'save', ms: 5, ok: false, code: 'AUTH_FAILED' },
    ]);
  });
});
