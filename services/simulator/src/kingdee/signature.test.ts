import type { IncomingHttpHeaders } from 'node:http';
import { kingdeeSignVectors } from '@sync/testing';
import { verifySignedHeaders } from './request-auth';
import {
  appDataPlain, computeApiSignature, computeKdSignature, decodeClientSecret, encodeAppData, loginBySignSign, splitAppId, timestampToMs,
} from './signature';

// Test vector of reference/kingdee-api.md §2.2 (synthetic inputs, cross-checked there with the Python SDK), shared
// with the client's signature test; the simulator computes it with its own code.
const V = {
  ...kingdeeSignVectors,
  user: kingdeeSignVectors.username,
  ts: kingdeeSignVectors.timestamp,
  apiSignature: kingdeeSignVectors.headers['X-Api-Signature'],
  appData: kingdeeSignVectors.headers['X-Kd-Appdata'],
  kdSignature: kingdeeSignVectors.headers['X-Kd-Signature'],
};

describe('signature scheme (reference §2.2 test vector)', () => {
  it('decodes the client secret from the AppID', () => {
    expect(splitAppId(V.appId)).toEqual({ clientId: '100001', secretPart: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY' });
    expect(decodeClientSecret(splitAppId(V.appId).secretPart)).toBe(V.decodedSecret);
    expect(decodeClientSecret('short')).toBe('');
    expect(splitAppId('no-underscore')).toEqual({ clientId: '', secretPart: '' });
  });

  it('computes X-Api-Signature, X-Kd-Appdata, X-Kd-Signature and the LoginBySign sign', () => {
    expect(computeApiSignature(V.appId, V.path, V.ts, V.ts)).toBe(V.apiSignature);
    const plain = appDataPlain(V.acctId, V.user, 2052, 0);
    expect(encodeAppData(plain)).toBe(V.appData);
    expect(computeKdSignature(V.appId, V.appSecret, plain)).toBe(V.kdSignature);
    expect(loginBySignSign(V.acctId, V.user, V.appId, V.appSecret, V.ts)).toBe(V.loginSign);
  });

  it('reads timestamps in seconds and in milliseconds', () => {
    expect(timestampToMs('1700000000')).toBe(1700000000000);
    expect(timestampToMs('1700000000123')).toBe(1700000000123);
    expect(timestampToMs('17e8')).toBeUndefined();
  });
});

describe('verifySignedHeaders', () => {
  const headers: IncomingHttpHeaders = {
    'x-api-clientid': '100001',
    'x-api-auth-version': '2.0',
    'x-api-timestamp': V.ts,
    'x-api-nonce': V.ts,
    'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
    'x-api-signature': V.apiSignature,
    'x-kd-appkey': V.appId,
    'x-kd-appdata': V.appData,
    'x-kd-signature': V.kdSignature,
  };
  const ctx = (nowMs: number, requireApiSignature = false) => ({
    options: { apps: [{ appId: V.appId, appSecret: V.appSecret, username: V.user }], acctId: V.acctId },
    settings: { signatureSkewSeconds: 600, requireApiSignature },
    nowMs,
  });

  it('accepts the reference vector at its timestamp', () => {
    expect(verifySignedHeaders(headers, V.path, ctx(1700000000000 + 30_000))).toEqual({ ok: true, appId: V.appId, username: V.user });
  });

  it('rejects a stale timestamp, a wrong path, a wrong Kd signature and a missing Api signature when required', () => {
    expect(verifySignedHeaders(headers, V.path, ctx(1700000000000 + 601_000)).ok).toBe(false);
    expect(verifySignedHeaders(headers, V.path.replace('Save', 'Audit'), ctx(1700000000000)).ok).toBe(false);
    expect(verifySignedHeaders({ ...headers, 'x-kd-signature': V.apiSignature }, V.path, ctx(1700000000000)).ok).toBe(false);
    const { 'x-api-signature': _omit, ...withoutApi } = headers;
    expect(verifySignedHeaders(withoutApi, V.path, ctx(1700000000000)).ok).toBe(true);
    expect(verifySignedHeaders(withoutApi, V.path, ctx(1700000000000, true)).ok).toBe(false);
  });
});
