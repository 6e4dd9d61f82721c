import { createHash, createHmac } from 'node:crypto';

/** The TOP signature methods the Qimen gateway accepts (jst-qimen.md §3.1). */
export const QIMEN_SIGN_METHODS = ['md5', 'hmac', 'hmac-sha256'] as const;
export type QimenSignMethod = (typeof QIMEN_SIGN_METHODS)[number];

/**
 * The Taobao TOP "API v2.0" signature used by Qimen (jst-qimen.md §3.1): every parameter except `sign` whose
 * value is not empty, keys in ASCII order, concatenated as `key1value1key2value2…` (raw values, not URL-encoded);
 * then `md5`: MD5(secret + text + secret), `hmac`: HMAC-MD5(secret, text), `hmac-sha256`: HMAC-SHA256(secret,
 * text); uppercase hex. The `sign_method` parameter sent must name the same method (else TOP code 25). Pure;
 * never logs or keeps the secret. Differs from the open API's `signJst` (lowercase, secret as prefix only).
 */
export function signQimen(params: Readonly<Record<string, string | undefined>>, secret: string, method: QimenSignMethod = 'md5'): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && params[k] !== '')
    .sort(); // UTF-16 code-unit order: ASCII order for the ASCII keys TOP uses
  let text = '';
  for (const k of keys) text += k + params[k];
  if (method === 'md5') return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
  const algorithm = method === 'hmac' ? 'md5' : 'sha256';
  return createHmac(algorithm, Buffer.from(secret, 'utf8')).update(text, 'utf8').digest('hex').toUpperCase();
}
