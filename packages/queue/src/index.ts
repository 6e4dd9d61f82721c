// The queue: catalog (names, payloads, retry policy), Redis connections, enqueue, the worker runner and the one
// translation of our errors into BullMQ behaviour, dead letters (the failed sets), shutdown.
export * from './catalog';
export * from './redis';
export * from './backoff';
export * from './failed-reason';
export * from './error-translation';
export * from './runner';
export * from './queues';
export * from './enqueue';
export * from './dead-letters';
export * from './shutdown';
export * from './zod-issues';
export * from './instrument-client';

// The state the services share in Redis, every key named by the keyspace: cursors and poll status, the ledger and
// sent markers, locks, pauses and resync cancels, metrics, alert events, reconciliation runs, the JST call limiter.
export * from './keyspace';
export * from './cursor-store';
export * from './poll-status-store';
export * from './ledger';
export * from './redis-lock';
export * from './flow-pause';
export * from './resync-cancel';
export * from './metrics-store';
export * from './capped-list';
export * from './alert-events';
export * from './reconciliation-store';
export * from './jst-call-limiter';
