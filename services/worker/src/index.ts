export * from './worker-service';
export * from './process-document';
export * from './kingdee-writer';
export * from './kingdee-bill-lookup';
export * from './resolve-worker-flows';
export * from './kingdee-options';
