import { createHash } from 'node:crypto';

/**
 * The JST open-API signature (reference §2.3): lowercase hex MD5 (UTF-8) of
 * `appSecret + key1 + value1 + key2 + value2 ...` over every parameter except `sign`, keys in ASCII order,
 * parameters whose value is empty skipped. Values are signed exactly as they are sent (the raw `biz` string,
 * not URL-encoded). Pure; never logs or keeps the secret.
 */
export function signJst(params: Record<string, string>, appSecret: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && params[k] !== '')
    .sort(); // default sort compares UTF-16 code units: ASCII order for ASCII keys
  let preimage = appSecret;
  for (const k of keys) preimage += k + params[k];
  return createHash('md5').update(preimage, 'utf8').digest('hex');
}
