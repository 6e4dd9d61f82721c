export * from './test-redis';
export * from './within';
export * from './open-handles';
export * from './until';
export * from './clear-prefix';
export * from './services-env';
export * from './simulators';
