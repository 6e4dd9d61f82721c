import { decodeAppSecret, kingdeeSignatureHeaders, loginBySignSign, splitAppId } from './signature';

// Test vector from kingdee-api.md §2.2 (synthetic inputs, cross-checked there against the Python SDK).
const appId = '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY';
const appSecret = '0123456789abcdef0123456789abcdef';
const path = '/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc';

describe('Kingdee third-party signature', () => {
  it('decodes the client secret from the AppID', () => {
    expect(splitAppId(appId)).toEqual({ clientId: '100001', secretPart: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY' });
    expect(decodeAppSecret(splitAppId(appId).secretPart)).toBe('MTI2MGM1Pj9qPDk/OT04KHMiKnd0IXMr');
  });

  it('gives empty parts for malformed AppIDs and secrets', () => {
    expect(splitAppId('no-underscore')).toEqual({ clientId: '', secretPart: '' });
    expect(splitAppId('a_b_c')).toEqual({ clientId: '', secretPart: '' });
    expect(decodeAppSecret('tooshort')).toBe('');
  });

  it('produces the reference headers', () => {
    const h = kingdeeSignatureHeaders({ url: path, acctId: '5f1e2d3c4b5a69', username: 'integration', appId, appSecret, lcid: 2052, orgNum: 0, timestamp: '1700000000' });
    expect(h).toEqual({
      'X-Api-ClientID': '100001',
      'X-Api-Auth-Version': '2.0',
      'x-api-timestamp': '1700000000',
      'x-api-nonce': '1700000000',
      'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
      'X-Api-Signature': 'M2M5NmZiYjQ5NWZmYTIwMTY1ZWE2YjgxZTlhOGUzN2M0NjRjNDExNmJjNzYzZTg4NmEwOWVkMzBjZDM3ZjA1OQ==',
      'X-Kd-Appkey': appId,
      'X-Kd-Appdata': 'NWYxZTJkM2M0YjVhNjksaW50ZWdyYXRpb24sMjA1Miww',
      'X-Kd-Signature': 'NWQ3ZDNiNTM3NTY5YjYwYzVlMjY4ODUxZmRkYTA1NmFhZjk1MzRmYTllZGQ5N2ZiZWRhZTQ2ZWIwZDFmNDRkNA==',
    });
  });

  it('signs only the path of a full URL', () => {
    const args = { acctId: '5f1e2d3c4b5a69', username: 'integration', appId, appSecret, lcid: 2052, timestamp: '1700000000' };
    const full = kingdeeSignatureHeaders({ ...args, url: `http://erp.example:8080${path}` });
    expect(full['X-Api-Signature']).toBe(kingdeeSignatureHeaders({ ...args, url: path })['X-Api-Signature']);
  });

  it('computes the LoginBySign sign of the reference', () => {
    expect(loginBySignSign({ acctId: '5f1e2d3c4b5a69', username: 'integration', appId, appSecret, timestamp: '1700000000' }))
      .toBe('9fcf5e70afffeb0750b1678a47a6f1cff908e02b23487c25abe8ab57f823d00e');
  });
});
