import { createHash, createHmac } from 'node:crypto';

/**
 * TOP "API v2.0" signature as the Qimen gateway checks it (jst-qimen.md §3.1), written independently of the
 * client: every parameter but `sign` with a non-empty value, keys sorted by byte value, `key + value` joined
 * with nothing between; md5 → MD5(secret + s + secret), hmac → HMAC-MD5(secret, s), hmac-sha256 →
 * HMAC-SHA256(secret, s); hex in upper case. Returns undefined for an unknown sign_method.
 */
export function topSign(secret: string, params: Readonly<Record<string, string>>, signMethod: string): string | undefined {
  const joined = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((k) => `${k}${params[k]}`)
    .join('');
  let hex: string;
  if (signMethod === 'md5') hex = createHash('md5').update(`${secret}${joined}${secret}`, 'utf8').digest('hex');
  else if (signMethod === 'hmac') hex = createHmac('md5', secret).update(joined, 'utf8').digest('hex');
  else if (signMethod === 'hmac-sha256') hex = createHmac('sha256', secret).update(joined, 'utf8').digest('hex');
  else return undefined;
  return hex.toUpperCase();
}
