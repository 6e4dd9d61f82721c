import type { Logger } from '@sync/logger';

/** A stop step run on shutdown (close a worker, queues, a connection, a server...). */
export type StopFn = () => Promise<void>;

export interface ShutdownOptions {
  /** Bound on the whole graceful shutdown (ms); past it the process exits with code 1. */
  timeoutMs: number;
  logger: Logger;
  /** Injected for tests; default `process`. */
  signals?: NodeJS.EventEmitter;
  /** Injected for tests; default `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * On the first SIGTERM/SIGINT runs `stopFns` in order (each error logged, the next still runs), bounded by
 * `timeoutMs`, then exits 0 (1 if a step failed or time ran out). A second signal exits 1 at once.
 * Returns a function that removes the handlers.
 */
export function installShutdown(stopFns: StopFn[], opts: ShutdownOptions): () => void {
  const emitter = opts.signals ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;

  const onSignal = (signal: string) => {
    if (stopping) {
      opts.logger.warn({ signal }, 'second signal: forcing exit');
      exit(1);
      return;
    }
    stopping = true;
    opts.logger.info({ signal, timeoutMs: opts.timeoutMs }, 'shutting down');
    let failed = false;
    const steps = (async () => {
      for (const fn of stopFns) {
        try {
          await fn();
        } catch (err) {
          failed = true;
          opts.logger.error({ err }, 'shutdown step failed');
        }
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
      timer.unref?.();
    });
    void Promise.race([steps.then(() => 'done' as const), timeout]).then((outcome) => {
      if (timer) clearTimeout(timer);
      if (outcome === 'timeout') {
        opts.logger.error({ timeoutMs: opts.timeoutMs }, 'graceful shutdown timed out: forcing exit');
        exit(1);
        return;
      }
      opts.logger.info('shutdown complete');
      exit(failed ? 1 : 0);
    });
  };
  const onTerm = () => onSignal('SIGTERM');
  const onInt = () => onSignal('SIGINT');
  emitter.on('SIGTERM', onTerm);
  emitter.on('SIGINT', onInt);
  return () => {
    emitter.off('SIGTERM', onTerm);
    emitter.off('SIGINT', onInt);
  };
}
