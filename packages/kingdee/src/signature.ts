import { createHash, createHmac } from 'node:crypto';

/** XOR key the official SDKs apply to the AppID's secret part (kingdee-api.md §2.2 step 2). */
const APP_SECRET_XOR_KEY = Buffer.from('0054f397c6234378b09ca7d3e5debce7', 'ascii');

/**
 * Splits an AppID of the form `<clientId>_<32 base64 chars>`. Anything not made of exactly two parts
 * yields empty strings, as the SDKs do.
 */
export function splitAppId(appId: string): { clientId: string; secretPart: string } {
  const parts = appId.split('_');
  if (parts.length !== 2) return { clientId: '', secretPart: '' };
  return { clientId: parts[0], secretPart: parts[1] };
}

/**
 * Decodes the client secret carried in the AppID's second part: base64-decode, XOR byte-wise with the SDK key,
 * base64-encode. Returns '' unless the part is exactly 32 characters (Python SDK behaviour). Pure.
 */
export function decodeAppSecret(secretPart: string): string {
  if (secretPart.length !== 32) return '';
  const raw = Buffer.from(secretPart, 'base64');
  const out = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i += 1) out[i] = raw[i] ^ APP_SECRET_XOR_KEY[i % APP_SECRET_XOR_KEY.length];
  return out.toString('base64');
}

/** The SDKs' HMAC helper: base64 of the lowercase hex HMAC-SHA256 (not of the raw digest). Pure. */
export function kingdeeHmac(key: string, message: string): string {
  const hex = createHmac('sha256', key).update(message, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

export interface SignatureInput {
  /** Full request URL or just its path (`/k3cloud/Kingdee.BOS...Save.common.kdsvc`). */
  url: string;
  acctId: string;
  username: string;
  appId: string;
  appSecret: string;
  lcid: number;
  /** Organisation number; the SDK default is 0. */
  orgNum?: number | string;
  /** Unix time as a string: seconds (Python SDK) or milliseconds (Java SDK); both are sent verbatim. */
  timestamp: string;
  /** Defaults to the timestamp, as both SDKs do. */
  nonce?: string;
}

/**
 * The third-party authorisation headers of one request (kingdee-api.md §2.2, Python SDK flavour: lowercase
 * `x-api-signheaders`). Pure: the same input gives the same headers. Values are credentials: never log them.
 */
export function kingdeeSignatureHeaders(input: SignatureInput): Record<string, string> {
  const path = /^https?:\/\//i.test(input.url) ? new URL(input.url).pathname : input.url;
  const nonce = input.nonce ?? input.timestamp;
  const { clientId, secretPart } = splitAppId(input.appId);
  const clientSecret = decodeAppSecret(secretPart);
  const stringToSign = `POST\n${encodeURIComponent(path)}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${input.timestamp}\n`;
  const appData = `${input.acctId},${input.username},${input.lcid},${input.orgNum ?? 0}`;
  return {
    'X-Api-ClientID': clientId,
    'X-Api-Auth-Version': '2.0',
    'x-api-timestamp': input.timestamp,
    'x-api-nonce': nonce,
    'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
    'X-Api-Signature': kingdeeHmac(clientSecret, stringToSign),
    'X-Kd-Appkey': input.appId,
    'X-Kd-Appdata': Buffer.from(appData, 'utf8').toString('base64'),
    'X-Kd-Signature': kingdeeHmac(input.appSecret, input.appId + appData),
  };
}

/**
 * The `sign` argument of AuthService.LoginBySign: SHA-256 (lowercase hex) of the five strings sorted
 * lexicographically and concatenated. `timestamp` is Unix seconds as a string. Pure.
 */
export function loginBySignSign(input: { acctId: string; username: string; appId: string; appSecret: string; timestamp: string }): string {
  const parts = [input.acctId, input.username, input.appId, input.appSecret, input.timestamp].sort();
  return createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
}
