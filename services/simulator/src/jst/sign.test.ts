import { jstSign, verifyJstSign } from './sign';

// Test vectors from reference §2.3 (ieu/jst-java DefaultJstDigestTest).
const appSecret = 'e9c5ca33fecb404b8e6cdbd0ef4a6d25';
const appKey = '5b53060f23d84ddf9703056e84fa5a2d';

describe('jstSign', () => {
  it('matches the getInitToken vector', () => {
    const params = { app_key: appKey, timestamp: '1639128407', grant_type: 'authorization_code', charset: 'utf-8', code: '123456' };
    expect(jstSign(appSecret, params)).toBe('05e3a51e19e0883afd1882ccd309e0b9');
  });

  it('matches the business request vector, biz signed as the exact string', () => {
    const params = {
      app_key: appKey,
      access_token: 'd7b01bf0842a4742a9450e21ffd95f60',
      timestamp: '1639128407',
      version: '2',
      charset: 'utf-8',
      biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
    };
    expect(jstSign(appSecret, params)).toBe('395f5a78b446be465ac03a02491296c7');
    expect(verifyJstSign(appSecret, { ...params, sign: '395F5A78B446BE465AC03A02491296C7' })).toBe(true);
    expect(verifyJstSign(appSecret, { ...params, biz: '{"page_index":1,"page_size":"100","nicks":["老板"]}', sign: '395f5a78b446be465ac03a02491296c7' })).toBe(false);
  });

  it('ignores the sign key and skips empty values', () => {
    const base = { app_key: appKey, timestamp: '1639128407', grant_type: 'authorization_code', charset: 'utf-8', code: '123456' };
    expect(jstSign(appSecret, { ...base, sign: 'whatever', refresh_token: '' })).toBe('05e3a51e19e0883afd1882ccd309e0b9');
  });
});
