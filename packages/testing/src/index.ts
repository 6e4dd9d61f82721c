export * from './test-redis';
export * from './within';
export * from './open-handles';
export * from './jst-sign-vectors';
export * from './kingdee-sign-vectors';
