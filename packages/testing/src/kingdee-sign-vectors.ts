/**
 * The Kingdee third-party signature vector of reference kingdee-api.md §2.2 (synthetic inputs, cross-checked there
 * with the Python SDK). The client (@sync/kingdee) and the simulator sign independently; both check their own
 * implementation against it.
 */
const appId = '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY';
const timestamp = '1700000000';

export const kingdeeSignVectors = {
  appId,
  appSecret: '0123456789abcdef0123456789abcdef',
  acctId: '5f1e2d3c4b5a69',
  username: 'integration',
  lcid: 2052,
  path: '/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc',
  timestamp,
  /** The client secret decoded from the AppID's second part. */
  decodedSecret: 'MTI2MGM1Pj9qPDk/OT04KHMiKnd0IXMr',
  /** The `sign` of LoginBySign. */
  loginSign: '9fcf5e70afffeb0750b1678a47a6f1cff908e02b23487c25abe8ab57f823d00e',
  /** The signed request headers (org 0). */
  headers: {
    'X-Api-ClientID': '100001',
    'X-Api-Auth-Version': '2.0',
    'x-api-timestamp': timestamp,
    'x-api-nonce': timestamp,
    'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
    'X-Api-Signature': 'M2M5NmZiYjQ5NWZmYTIwMTY1ZWE2YjgxZTlhOGUzN2M0NjRjNDExNmJjNzYzZTg4NmEwOWVkMzBjZDM3ZjA1OQ==',
    'X-Kd-Appkey': appId,
    'X-Kd-Appdata': 'NWYxZTJkM2M0YjVhNjksaW50ZWdyYXRpb24sMjA1Miww',
    'X-Kd-Signature': 'NWQ3ZDNiNTM3NTY5YjYwYzVlMjY4ODUxZmRkYTA1NmFhZjk1MzRmYTllZGQ5N2ZiZWRhZTQ2ZWIwZDFmNDRkNA==',
  },
} as const;
