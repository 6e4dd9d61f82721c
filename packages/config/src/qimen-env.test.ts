import { tempDir } from './config-tests.test-support';
import { loadEnv, requireEnv } from './loader';

describe('the JST_QIMEN_* environment', () => {
  const dir = tempDir('qimen-env-');

  it('defaults to the simulator router, JST\'s target app key, md5 and 8 calls/s', () => {
    expect(loadEnv({})).toMatchObject({
      JST_QIMEN_URL: 'http://127.0.0.1:8701/router/qm', JST_QIMEN_TARGET_APP_KEY: '23060081', JST_QIMEN_SIGN_METHOD: 'md5',
      JST_QIMEN_CALLS_PER_SECOND: 8, JST_QIMEN_CALLS_PER_MINUTE: 480,
    });
  });

  it('reads the secret from a file and names what is missing for a Qimen flow', () => {
    const file = dir.file('qimen_secret', 'from-a-file\n');
    const env = loadEnv({ JST_QIMEN_APP_KEY: 'k', JST_QIMEN_APP_SECRET_FILE: file });
    expect(env.JST_QIMEN_APP_SECRET).toBe('from-a-file');
    expect(() => requireEnv(env, ['JST_QIMEN_APP_KEY', 'JST_QIMEN_APP_SECRET', 'JST_QIMEN_CUSTOMER_ID'], 'the poller')).toThrow(/JST_QIMEN_CUSTOMER_ID/);
  });

  it.each([
    [{ JST_QIMEN_SIGN_METHOD: 'sha1' }, 'JST_QIMEN_SIGN_METHOD'],
    [{ JST_QIMEN_URL: 'not a url' }, 'JST_QIMEN_URL'],
    [{ JST_QIMEN_CALLS_PER_SECOND: '0' }, 'JST_QIMEN_CALLS_PER_SECOND'],
  ])('refuses %j naming the variable', (vars, name) => {
    expect(() => loadEnv(vars)).toThrow(name);
  });
});
