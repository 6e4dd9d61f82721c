// Jest transpiles only (swc); `pnpm typecheck` type-checks tests with tsconfig.jest.json (toolchain P11).
const esmOnly = ['content-disposition', 'cookie'];
const packages = ['errors', 'config', 'logger', 'jushuitan', 'kingdee', 'flows', 'queue', 'preflight', 'testing'];
const services = ['simulator', 'poller', 'worker', 'api'];
const moduleNameMapper = {};
for (const p of packages) moduleNameMapper[`^@sync/${p}$`] = `<rootDir>/packages/${p}/src`;
for (const s of services) moduleNameMapper[`^@sync/${s}$`] = `<rootDir>/services/${s}/src`;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper,
  globalSetup: '<rootDir>/packages/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/jest-global-teardown.ts',
  transformIgnorePatterns: [`/node_modules/(?!(?:\\.pnpm/)?(?:${esmOnly.join('|')})[@/])`],
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 60000,
};
