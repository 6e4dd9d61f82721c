import { jstSignVectors as v } from '@sync/testing';
import { signJst } from './sign';

// Vectors from reference §2.3 (ieu/jst-java DefaultJstDigestTest), shared with the simulator's own signing test.

describe('signJst', () => {
  it('matches the getInitToken vector', () => {
    expect(signJst({ ...v.initToken.params }, v.appSecret)).toBe(v.initToken.sign);
  });

  it('matches the business-request vector (Chinese in biz signed unencoded)', () => {
    expect(signJst({ ...v.business.params }, v.appSecret)).toBe(v.business.sign);
  });

  it('ignores an existing sign and empty values, and does not depend on key order', () => {
    const params = { timestamp: '1639128407', code: '123456', charset: 'utf-8', grant_type: 'authorization_code', app_key: v.appKey };
    expect(signJst({ ...params, sign: 'stale', refresh_token: '' }, v.appSecret)).toBe(v.initToken.sign);
  });

  it('changes with the secret', () => {
    expect(signJst({ a: '1' }, 'x')).not.toBe(signJst({ a: '1' }, 'y'));
  });
});
