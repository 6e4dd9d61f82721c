import { configErrorMessage as thrownMessage, tempDir } from './config-tests.test-support';
import { loadEnv, requireEnv } from './loader';

describe('loadEnv', () => {
  const dir = tempDir('env-test-');

  it('applies defaults to an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'sync',
      SYNC_CONFIG: 'config/sync.config.yaml',
      LOG_LEVEL: 'info',
      JST_BASE_URL: 'http://127.0.0.1:8701',
      JST_TIMEOUT_MS: 30000,
      JST_CALLS_PER_SECOND: 5,
      JST_CALLS_PER_MINUTE: 100,
      KINGDEE_BASE_URL: 'http://127.0.0.1:8702/k3cloud/',
      KINGDEE_AUTH: 'password',
      KINGDEE_LCID: 2052,
      WORKER_FLOWS: 'all',
      WORKER_CONCURRENCY: 4,
      SHUTDOWN_TIMEOUT_MS: 20000,
      API_HOST: '0.0.0.0',
      API_PORT: 8700,
      LOG_PRETTY: false,
    });
    expect(env.JST_APP_SECRET).toBeUndefined();
    expect(env.KINGDEE_PASSWORD).toBeUndefined();
  });

  it('reads values, coerces numbers and booleans, and treats empty strings as unset', () => {
    const env = loadEnv({ API_PORT: '9000', WORKER_CONCURRENCY: '16', LOG_PRETTY: 'yes', QUEUE_PREFIX: '', KINGDEE_AUTH: 'signature' });
    expect(env.API_PORT).toBe(9000);
    expect(env.WORKER_CONCURRENCY).toBe(16);
    expect(env.LOG_PRETTY).toBe(true);
    expect(env.QUEUE_PREFIX).toBe('sync');
    expect(env.KINGDEE_AUTH).toBe('signature');
    expect(loadEnv({ LOG_PRETTY: '0' }).LOG_PRETTY).toBe(false);
  });

  it('reads the JST call budget and refuses one that is not a whole number of calls ≥ 1, naming the variable', () => {
    expect(loadEnv({ JST_CALLS_PER_SECOND: '3', JST_CALLS_PER_MINUTE: '60' })).toMatchObject({ JST_CALLS_PER_SECOND: 3, JST_CALLS_PER_MINUTE: 60 });
    for (const bad of ['0', '2.5', 'abc', '-1']) {
      expect(thrownMessage(() => loadEnv({ JST_CALLS_PER_MINUTE: bad }))).toContain('JST_CALLS_PER_MINUTE: must be a whole number of calls, at least 1');
    }
  });

  it('reads NAME from the file NAME_FILE points at, without the trailing newline, over a plain NAME', () => {
    const file = dir.file('kingdee-password', 's3cret-from-file\n');
    const env = loadEnv({ KINGDEE_PASSWORD_FILE: file, KINGDEE_PASSWORD: 'plain', JST_APP_SECRET: 'plain-secret' });
    expect(env.KINGDEE_PASSWORD).toBe('s3cret-from-file');
    expect(env.JST_APP_SECRET).toBe('plain-secret');
  });

  it('names the variable and the file when a secret file cannot be read', () => {
    const missing = dir.path('nope');
    const msg = thrownMessage(() => loadEnv({ JST_APP_SECRET_FILE: missing }));
    expect(msg).toContain('JST_APP_SECRET_FILE');
    expect(msg).toContain(missing);
  });

  it.each([
    ['API_PORT', 'eighty'],
    ['LOG_LEVEL', 'loud'],
    ['KINGDEE_AUTH', 'magic'],
    ['JST_BASE_URL', 'not a url'],
    ['LOG_PRETTY', 'maybe'],
    ['API_TOKEN', 'short'],
    ['WORKER_CONCURRENCY', '2.5'],
    ['API_ALLOWED_ORIGINS', 'https://ok.example.com, sync.example.com'],
    ['API_ALLOWED_ORIGINS', 'https://sync.example.com/path'],
    ['API_TRUSTED_PROXIES', '10.0.0.1, proxy.internal'],
    ['API_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['API_HSTS', 'yes'],
    ['API_LOGIN_MAX_FAILURES', '0'],
  ])('a bad %s is named in the error', (name, value) => {
    const msg = thrownMessage(() => loadEnv({ [name]: value }));
    expect(msg).toMatch(/^environment is invalid:/);
    expect(msg).toMatch(new RegExp(`- ${name}(\\.\\d+)?: `)); // a list names the bad item's index
    expect(msg.split('\n')).toHaveLength(2);
  });

  it('reads the browser-security lists: origins normalised, proxies as IPs, CIDRs or keywords', () => {
    const env = loadEnv({ API_ALLOWED_ORIGINS: 'https://Sync.Example.com:443, http://10.0.0.5:8700,', API_TRUSTED_PROXIES: '10.0.0.0/8, ::1, loopback' });
    expect(env.API_ALLOWED_ORIGINS).toEqual(['https://sync.example.com', 'http://10.0.0.5:8700']);
    expect(env.API_TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(loadEnv({})).toMatchObject({ API_ALLOWED_ORIGINS: [], API_TRUSTED_PROXIES: [], API_HSTS: 'auto', API_LOGIN_MAX_FAILURES: 5, API_LOGIN_LOCKOUT_MAX_SECONDS: 900 });
  });

  it('never puts a bad secret value into the message', () => {
    const msg = thrownMessage(() => loadEnv({ API_BASIC_PASSWORD: 'short1' }));
    expect(msg).toContain('API_BASIC_PASSWORD');
    expect(msg).not.toContain('short1');
  });
});

describe('requireEnv', () => {
  it('lists every missing variable for the role', () => {
    const env = loadEnv({ JST_APP_KEY: 'k' });
    expect(() => requireEnv(env, ['JST_APP_KEY'], 'poller')).not.toThrow();
    const msg = thrownMessage(() => requireEnv(env, ['JST_APP_KEY', 'JST_APP_SECRET', 'KINGDEE_ACCT_ID'], 'worker'));
    expect(msg).toBe('worker needs JST_APP_SECRET, KINGDEE_ACCT_ID (set them, or NAME_FILE pointing at a secret file)');
  });
});
