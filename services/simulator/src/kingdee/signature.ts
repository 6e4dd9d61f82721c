import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The K3Cloud third-party signature scheme (reference/kingdee-api.md §2.2), written from the reference
 * alone (no code shared with packages/kingdee). All functions are pure; the test vectors of §2.2 pin them.
 */

/** ASCII key the SDKs XOR the AppID's secret half with. */
const CLIENT_SECRET_XOR_KEY = '0054f397c6234378b09ca7d3e5debce7';

/** Split `<clientId>_<32 chars>`; anything but exactly two parts gives empty strings. */
export function splitAppId(appId: string): { clientId: string; secretPart: string } {
  const parts = appId.split('_');
  if (parts.length !== 2) return { clientId: '', secretPart: '' };
  return { clientId: parts[0], secretPart: parts[1] };
}

/** The decoded client secret: base64(base64decode(part) XOR key); '' unless the part has 32 chars. */
export function decodeClientSecret(secretPart: string): string {
  if (secretPart.length !== 32) return '';
  const raw = Buffer.from(secretPart, 'base64');
  const key = Buffer.from(CLIENT_SECRET_XOR_KEY, 'ascii');
  const out = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] ^ key[i % key.length];
  return out.toString('base64');
}

/** The SDKs' HMAC helper: base64 of the lowercase hex HMAC-SHA256 (not of the raw digest). */
export function hmacBase64OfHex(key: string, message: string): string {
  const hex = createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

/** URL path (e.g. `/k3cloud/...Save.common.kdsvc`) percent-encoded with `/` encoded too. */
export function encodeSignPath(path: string): string {
  return encodeURIComponent(path);
}

/** `POST\n<path>\n\nx-api-nonce:<nonce>\nx-api-timestamp:<ts>\n` (empty query string line, trailing newline). */
export function apiStringToSign(path: string, nonce: string, timestamp: string): string {
  return `POST\n${encodeSignPath(path)}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${timestamp}\n`;
}

/** `X-Api-Signature` for a request path, keyed with the decoded client secret of `appId`. */
export function computeApiSignature(appId: string, path: string, nonce: string, timestamp: string): string {
  const secret = decodeClientSecret(splitAppId(appId).secretPart);
  return hmacBase64OfHex(secret, apiStringToSign(path, nonce, timestamp));
}

/** Plain text of `X-Kd-Appdata`: `acctId,userName,lcid,orgNum`. */
export function appDataPlain(acctId: string, userName: string, lcid: number | string, orgNum: number | string): string {
  return `${acctId},${userName},${lcid},${orgNum}`;
}

/** `X-Kd-Appdata`: base64 of the UTF-8 plain app data. */
export function encodeAppData(plain: string): string {
  return Buffer.from(plain, 'utf8').toString('base64');
}

/** `X-Kd-Signature`: HMAC helper keyed with the AppSecret as given over `appId + appDataPlain`. */
export function computeKdSignature(appId: string, appSecret: string, plainAppData: string): string {
  return hmacBase64OfHex(appSecret, appId + plainAppData);
}

/** LoginBySign `sign`: SHA-256 hex of the five strings sorted lexicographically and concatenated. */
export function loginBySignSign(acctId: string, userName: string, appId: string, appSecret: string, timestamp: string): string {
  const parts = [acctId, userName, appId, appSecret, timestamp].sort();
  return createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
}

/** Constant-time string comparison (false on different lengths). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Unix time in ms from a header/param timestamp sent in seconds (Python SDK) or milliseconds (Java SDK);
 * undefined when not an integer.
 */
export function timestampToMs(value: string): number | undefined {
  if (!/^\d{1,16}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= 1e11 ? n : n * 1000;
}
