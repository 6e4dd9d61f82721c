export * from './poller-service';
export * from './poll-flow';
export * from './prepare-rows';
export * from './source-ids';
export * from './window-cursor';
export * from './jst-options';
