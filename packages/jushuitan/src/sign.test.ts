import { signJst } from './sign';

// Vectors from reference §2.3 (ieu/jst-java DefaultJstDigestTest).
const appKey = '5b53060f23d84ddf9703056e84fa5a2d';
const appSecret = 'e9c5ca33fecb404b8e6cdbd0ef4a6d25';

describe('signJst', () => {
  it('matches the getInitToken vector', () => {
    const params = { app_key: appKey, timestamp: '1639128407', grant_type: 'authorization_code', charset: 'utf-8', code: '123456' };
    expect(signJst(params, appSecret)).toBe('05e3a51e19e0883afd1882ccd309e0b9');
  });

  it('matches the business-request vector (Chinese in biz signed unencoded)', () => {
    const params = {
      app_key: appKey,
      access_token: 'd7b01bf0842a4742a9450e21ffd95f60',
      timestamp: '1639128407',
      version: '2',
      charset: 'utf-8',
      biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
    };
    expect(signJst(params, appSecret)).toBe('395f5a78b446be465ac03a02491296c7');
  });

  it('ignores an existing sign and empty values, and does not depend on key order', () => {
    const params = { timestamp: '1639128407', code: '123456', charset: 'utf-8', grant_type: 'authorization_code', app_key: appKey };
    expect(signJst({ ...params, sign: 'stale', refresh_token: '' }, appSecret)).toBe('05e3a51e19e0883afd1882ccd309e0b9');
  });

  it('changes with the secret', () => {
    expect(signJst({ a: '1' }, 'x')).not.toBe(signJst({ a: '1' }, 'y'));
  });
});
