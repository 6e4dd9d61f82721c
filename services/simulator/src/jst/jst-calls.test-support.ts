import { jstSign } from './sign';

/**
 * Helpers for this directory's tests: build a signed JST form and POST it over real HTTP. They use the
 * simulator's own signer, which sign.test.ts pins to the reference test vectors.
 */
export interface JstAnswer {
  status: number;
  contentType: string;
  text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  body: { code: number; msg: string; data: any } | undefined;
}

export async function postForm(url: string, params: Record<string, string>): Promise<JstAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  let body: JstAnswer['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, body };
}

export interface BusinessCallOptions {
  appKey: string;
  appSecret: string;
  accessToken: string;
  /** Unix seconds. */
  timestamp: number | string;
  /** Overrides or additions applied before signing (use '' to drop a parameter). */
  params?: Record<string, string>;
}

/** Signed business form for `biz` (object → JSON.stringify, string → sent as is). */
export function businessForm(biz: object | string, o: BusinessCallOptions): Record<string, string> {
  const params: Record<string, string> = {
    app_key: o.appKey,
    access_token: o.accessToken,
    timestamp: String(o.timestamp),
    version: '2',
    charset: 'utf-8',
    biz: typeof biz === 'string' ? biz : JSON.stringify(biz),
    ...(o.params ?? {}),
  };
  for (const k of Object.keys(params)) if (params[k] === '') delete params[k];
  params.sign = jstSign(o.appSecret, params);
  return params;
}

/** Admin JSON call. */
export async function admin(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/__admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
