import { jstSignVectors as v } from '@sync/testing';
import { jstSign, verifyJstSign } from './sign';

// Test vectors from reference §2.3 (ieu/jst-java DefaultJstDigestTest), shared with the client's signing test.

describe('jstSign', () => {
  it('matches the getInitToken vector', () => {
    expect(jstSign(v.appSecret, { ...v.initToken.params })).toBe(v.initToken.sign);
  });

  it('matches the business request vector, biz signed as the exact string', () => {
    const params = { ...v.business.params };
    expect(jstSign(v.appSecret, params)).toBe(v.business.sign);
    expect(verifyJstSign(v.appSecret, { ...params, sign: v.business.sign.toUpperCase() })).toBe(true);
    expect(verifyJstSign(v.appSecret, { ...params, biz: '{"page_index":1,"page_size":"100","nicks":["老板"]}', sign: v.business.sign })).toBe(false);
  });

  it('ignores the sign key and skips empty values', () => {
    expect(jstSign(v.appSecret, { ...v.initToken.params, sign: 'whatever', refresh_token: '' })).toBe(v.initToken.sign);
  });
});
