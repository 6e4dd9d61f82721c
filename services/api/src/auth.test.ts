import { authChallenge, authCredentialsFromEnv, authenticate, claimedLogin, type AuthCredentials } from './auth';

const creds: AuthCredentials = { token: 'token-0123456789', basic: { user: 'ops', password: 'pass-0123456789' } };
const basic = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

describe('authenticate', () => {
  it.each([
    ['no header', undefined, undefined],
    ['empty header', '', undefined],
    ['right bearer', 'Bearer token-0123456789', 'token'],
    ['bearer, scheme in lower case', 'bearer token-0123456789', 'token'],
    ['wrong bearer', 'Bearer token-0123456780', undefined],
    ['bearer prefix of the token', 'Bearer token-0123', undefined],
    ['bearer with the token plus more', 'Bearer token-0123456789x', undefined],
    ['bearer without a value', 'Bearer', undefined],
    ['token sent as basic password', basic('ops:token-0123456789'), undefined],
    ['right basic', basic('ops:pass-0123456789'), 'basic:ops'],
    ['wrong basic password', basic('ops:pass-0123456780'), undefined],
    ['wrong basic user', basic('admin:pass-0123456789'), undefined],
    ['basic without colon', basic('opspass-0123456789'), undefined],
    ['basic password sent as bearer', 'Bearer pass-0123456789', undefined],
    ['unknown scheme', 'Digest token-0123456789', undefined],
  ])('%s', (_name, header, expected) => {
    expect(authenticate(header, creds)).toBe(expected);
  });

  it('keeps the part after the first colon as the password', () => {
    const c: AuthCredentials = { basic: { user: 'ops', password: 'a:b:c-0123' } };
    expect(authenticate(basic('ops:a:b:c-0123'), c)).toBe('basic:ops');
    expect(authenticate(basic('ops:a:b'), c)).toBeUndefined();
  });

  it('refuses a scheme that is not configured', () => {
    expect(authenticate(basic('ops:pass-0123456789'), { token: 'token-0123456789' })).toBeUndefined();
    expect(authenticate('Bearer token-0123456789', { basic: { user: 'ops', password: 'pass-0123456789' } })).toBeUndefined();
  });
});

describe('authCredentialsFromEnv', () => {
  it('refuses to run open', () => {
    expect(() => authCredentialsFromEnv({})).toThrow(/API_TOKEN.*API_BASIC_USER/);
  });
  it('refuses half a basic pair, naming what is missing', () => {
    expect(() => authCredentialsFromEnv({ API_BASIC_USER: 'ops' })).toThrow(/only API_BASIC_USER is set/);
    expect(() => authCredentialsFromEnv({ API_TOKEN: 'token-0123456789', API_BASIC_PASSWORD: 'pass-0123456789' })).toThrow(
      /only API_BASIC_PASSWORD is set/,
    );
  });
  it('accepts a token alone, basic alone, or both', () => {
    expect(authCredentialsFromEnv({ API_TOKEN: 'token-0123456789' })).toEqual({ token: 'token-0123456789' });
    expect(authCredentialsFromEnv({ API_BASIC_USER: 'ops', API_BASIC_PASSWORD: 'pass-0123456789' })).toEqual({
      basic: { user: 'ops', password: 'pass-0123456789' },
    });
  });
});

describe('authChallenge', () => {
  it('asks browsers for Basic when basic auth is configured, else Bearer', () => {
    expect(authChallenge(creds)).toBe('Basic realm="jst-kingdee-sync"');
    expect(authChallenge({ token: 'token-0123456789' })).toBe('Bearer realm="jst-kingdee-sync"');
  });
});

describe('claimedLogin', () => {
  it.each<[string, string, { scheme: string; user: string }]>([
    ['a Basic user, never the password', basic('admin:hunter2'), { scheme: 'basic', user: 'admin' }],
    ['a password holding colons', basic('ops:a:b:c'), { scheme: 'basic', user: 'ops' }],
    ['an empty user name', basic(':pw'), { scheme: 'basic', user: '' }],
    ['control characters replaced', basic('ad\nmin:pw'), { scheme: 'basic', user: 'ad?min' }],
    ['a very long user name, cut', basic(`${'u'.repeat(500)}:pw`), { scheme: 'basic', user: 'u'.repeat(128) }],
    ['Basic without a colon', basic('nocolon'), { scheme: 'basic', user: '(unreadable)' }],
    ['a bearer token', 'Bearer wrong-token', { scheme: 'bearer', user: '(bearer token)' }],
    ['garbage', 'garbage', { scheme: 'unknown', user: '(unreadable)' }],
    ['another scheme', 'Digest abc', { scheme: 'digest', user: '(unreadable)' }],
  ])('%s', (_name, header, expected) => {
    expect(claimedLogin(header)).toEqual(expected);
    expect(JSON.stringify(claimedLogin(header))).not.toContain('hunter2');
  });
});
