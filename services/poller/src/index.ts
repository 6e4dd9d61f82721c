export * from './poller-service';
export * from './poll-kingdee-source';
export * from './kingdee-source-polling';
export * from './poll-flow';
export * from './prepare-rows';
export * from './source-ids';
export * from './window-cursor';
