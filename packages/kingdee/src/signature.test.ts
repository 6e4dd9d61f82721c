import { kingdeeSignVectors as v } from '@sync/testing';
import { decodeAppSecret, kingdeeSignatureHeaders, loginBySignSign, splitAppId } from './signature';

// Test vector from kingdee-api.md §2.2 (synthetic inputs, cross-checked there against the Python SDK), shared with
// the simulator's own signature test.
const { appId, appSecret, path } = v;

describe('Kingdee third-party signature', () => {
  it('decodes the client secret from the AppID', () => {
    expect(splitAppId(appId)).toEqual({ clientId: '100001', secretPart: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY' });
    expect(decodeAppSecret(splitAppId(appId).secretPart)).toBe(v.decodedSecret);
  });

  it('gives empty parts for malformed AppIDs and secrets', () => {
    expect(splitAppId('no-underscore')).toEqual({ clientId: '', secretPart: '' });
    expect(splitAppId('a_b_c')).toEqual({ clientId: '', secretPart: '' });
    expect(decodeAppSecret('tooshort')).toBe('');
  });

  it('produces the reference headers', () => {
    const h = kingdeeSignatureHeaders({ url: path, acctId: v.acctId, username: v.username, appId, appSecret, lcid: v.lcid, orgNum: 0, timestamp: v.timestamp });
    expect(h).toEqual(v.headers);
  });

  it('signs only the path of a full URL', () => {
    const args = { acctId: '5f1e2d3c4b5a69', username: 'integration', appId, appSecret, lcid: 2052, timestamp: '1700000000' };
    const full = kingdeeSignatureHeaders({ ...args, url: `http://erp.example:8080${path}` });
    expect(full['X-Api-Signature']).toBe(kingdeeSignatureHeaders({ ...args, url: path })['X-Api-Signature']);
  });

  it('computes the LoginBySign sign of the reference', () => {
    expect(loginBySignSign({ acctId: v.acctId, username: v.username, appId, appSecret, timestamp: v.timestamp })).toBe(v.loginSign);
  });
});
