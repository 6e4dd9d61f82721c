import { createHash } from 'node:crypto';

/**
 * The JST new-OpenAPI signature (reference §2.3), written independently of the client:
 * lowercase hex MD5 (UTF-8) of `app_secret` followed by `key + value` for every parameter except `sign`,
 * keys in ASCII order, parameters with an empty value skipped. Values are the raw decoded form values
 * (biz exactly as sent, not re-serialised).
 */
export function jstSign(appSecret: string, params: Readonly<Record<string, string>>): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = appSecret;
  for (const k of keys) text += k + params[k];
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** True when `params.sign` matches (case-insensitive hex). */
export function verifyJstSign(appSecret: string, params: Readonly<Record<string, string>>): boolean {
  const given = params.sign;
  return typeof given === 'string' && given.toLowerCase() === jstSign(appSecret, params);
}
