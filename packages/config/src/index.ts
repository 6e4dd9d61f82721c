export * from './env';
export * from './flow-settings';
export * from './mappings';
export * from './sync-config';
export * from './loader';
export * from './stock-locations';
export * from './stock-location-report';
export * from './transport-settings';
