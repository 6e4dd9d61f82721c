import { verifyJstSign } from './sign';
import { JstRejection } from './error-codes';

/** A developer app the simulator knows. */
export interface JstApp {
  appKey: string;
  appSecret: string;
  /** ISV (服务商) app: refreshToken is refused with code 150 (reference §2.4). */
  isv?: boolean;
}

/** Checks that `app_key` is known and `sign` matches; both failures are code 10. Returns the app. */
export function checkSignature(params: Readonly<Record<string, string>>, apps: ReadonlyMap<string, JstApp>): JstApp {
  if (!params.sign) throw new JstRejection('badSign', 'sign: missing');
  const app = params.app_key ? apps.get(params.app_key) : undefined;
  if (!app) throw new JstRejection('badSign', `app_key: unknown ${JSON.stringify(params.app_key ?? '')}`);
  if (!verifyJstSign(app.appSecret, params)) throw new JstRejection('badSign');
  return app;
}

/** Requires the named parameters to be present and non-empty (code 140 naming the first missing one). */
export function requireParams(params: Readonly<Record<string, string>>, names: readonly string[]): void {
  for (const n of names) if (!params[n]) throw new JstRejection('badParameter', `${n}: missing`);
}

/** `timestamp` must be unix seconds within ±skewSeconds of the simulator clock (code 180). */
export function checkTimestamp(params: Readonly<Record<string, string>>, nowMs: number, skewSeconds: number): void {
  const t = params.timestamp ?? '';
  if (!/^\d{1,12}$/.test(t)) throw new JstRejection('badTimestamp', `timestamp: must be unix seconds, got ${JSON.stringify(t)}`);
  if (Math.abs(Number(t) - nowMs / 1000) > skewSeconds) throw new JstRejection('badTimestamp');
}

/** charset must be utf-8 and, for business calls, version must be 2 (code 140). */
export function checkFixedParams(params: Readonly<Record<string, string>>, business: boolean): void {
  if (params.charset?.toLowerCase() !== 'utf-8') throw new JstRejection('badParameter', `charset: must be utf-8`);
  if (business && params.version !== '2') throw new JstRejection('badParameter', `version: must be 2`);
}

/** Parses the biz JSON string; anything but a JSON object is code 130. */
export function parseBizJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JstRejection('emptyData', 'biz: not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JstRejection('emptyData', 'biz: must be a JSON object');
  return value as Record<string, unknown>;
}

/** First value of every form field (raw decoded values, as signed). */
export function formToRecord(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (!(k in out)) out[k] = v;
  return out;
}
