export * from './commands';
export * from './format';
export * from './run-cli';
