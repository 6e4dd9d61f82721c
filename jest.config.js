// Jest transpiles only (swc); `pnpm typecheck` type-checks tests with tsconfig.jest.json (toolchain P11).
// Five projects, chosen by where a test file lives and how it is named (README, "Tests"):
//   unit         packages/*/src and services/*/src, *.test.ts: no Redis, no server, no process (enforced by
//                packages/testing/src/jest-unit-guard.ts); `pnpm test:unit`
//   integration  packages/*/src and services/*/src, *.int.test.ts (real Redis, simulators on port 0), and
//                test/compose, test/bench
//   e2e          test/e2e
//   reliability  test/reliability (the faults of README's Guarantees)
//   long         test/reliability/long: minutes-long faults, opt-in (`pnpm test:long`, or TEST_LONG=1)
const esmOnly = ['content-disposition', 'cookie'];
const packages = ['errors', 'config', 'logger', 'jushuitan', 'kingdee', 'flows', 'queue', 'testing'];
const services = ['simulator', 'poller', 'worker', 'api'];
const moduleNameMapper = {};
for (const p of packages) moduleNameMapper[`^@sync/${p}$`] = `<rootDir>/packages/${p}/src`;
for (const s of services) moduleNameMapper[`^@sync/${s}$`] = `<rootDir>/services/${s}/src`;

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper,
  transformIgnorePatterns: [`/node_modules/(?!(?:\\.pnpm/)?(?:${esmOnly.join('|')})[@/])`],
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
};
// Projects that need Redis: REDIS_URL, else testcontainers, else a spawned redis-server (packages/testing).
const withRedis = {
  ...base,
  globalSetup: '<rootDir>/packages/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/jest-global-teardown.ts',
};
const code = ['<rootDir>/packages/*/src', '<rootDir>/services/*/src'];

const projects = [
  {
    ...base,
    displayName: 'unit',
    testMatch: code.map((d) => `${d}/**/*.test.ts`),
    testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
    setupFilesAfterEnv: ['<rootDir>/packages/testing/src/jest-unit-guard.ts'],
  },
  {
    ...withRedis,
    displayName: 'integration',
    testMatch: [...code.map((d) => `${d}/**/*.int.test.ts`), '<rootDir>/test/compose/**/*.test.ts', '<rootDir>/test/bench/**/*.test.ts'],
  },
  { ...withRedis, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  { ...withRedis, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/*.test.ts'] },
];
if (process.env.TEST_LONG === '1') projects.push({ ...withRedis, displayName: 'long', testMatch: ['<rootDir>/test/reliability/long/**/*.test.ts'] });

module.exports = {
  projects,
  testTimeout: 60000,
  // Names what keeps the process alive if it is still running 5 s after the last test (scripts/test.sh then
  // stops it and counts a failure).
  globalSetup: '<rootDir>/packages/testing/src/jest-exit-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/jest-exit-watch.ts',
};
