/** Methods that change nothing; everything else must come from our own pages or a non-browser client. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string): boolean => SAFE_METHODS.has(method.toUpperCase());

/** What the cross-site check looks at in a request (header values as Node gives them). */
export interface CrossSiteInput {
  method: string;
  /** `Sec-Fetch-Site` (browsers since 2020 send it on every request). */
  secFetchSite: string | undefined;
  /** `Origin` (browsers send it on every non-GET request). */
  origin: string | undefined;
  /** The host the client asked for (`Host`, or `X-Forwarded-Host` from a trusted proxy), with its port. */
  host: string;
  /** The request authenticated with a bearer token: a browser never attaches one by itself. */
  bearer: boolean;
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether a request may change something, judged on what a browser adds that a page cannot forge. Pure.
 * Allowed: safe methods; bearer-token requests (scripts, the CLI: a page on another site can neither read nor
 * attach our token, and we answer no CORS preflight); an `Origin` in `allowedOrigins` (normalised
 * `scheme://host[:port]`); `Sec-Fetch-Site: same-origin` or `none` (typed by the user); without
 * `Sec-Fetch-Site`, an `Origin` whose host is the requested host, or no `Origin` at all (curl, old clients:
 * browsers always send one on these methods). Refused: anything a browser marks cross-site or same-site, and
 * `Origin: null` (sandboxed frames, data: URLs).
 */
export function crossSiteVerdict(input: CrossSiteInput, allowedOrigins: ReadonlySet<string>): Verdict {
  if (isSafeMethod(input.method) || input.bearer) return { allowed: true };
  const origin = input.origin?.trim();
  if (origin !== undefined && origin !== 'null' && URL.canParse(origin) && allowedOrigins.has(new URL(origin).origin)) {
    return { allowed: true };
  }
  const site = input.secFetchSite?.trim().toLowerCase();
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return { allowed: true };
    return { allowed: false, reason: `the browser marked this request ${site} (Sec-Fetch-Site), and its origin ${origin ?? '(none)'} is not allowed` };
  }
  if (origin === undefined) return { allowed: true };
  if (origin !== 'null' && URL.canParse(origin) && new URL(origin).host.toLowerCase() === input.host.toLowerCase()) {
    return { allowed: true };
  }
  return { allowed: false, reason: `origin ${origin.slice(0, 200)} is neither this API (${input.host.slice(0, 200)}) nor in API_ALLOWED_ORIGINS` };
}

/** What the body check looks at. */
export interface BodyTypeInput {
  method: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
}

/**
 * Only JSON bodies, on every state-changing request: a `Content-Type` other than `application/json` (charset, if
 * given, utf-8) is refused, even with an empty body, and so is a body without a `Content-Type`. A form or
 * `text/plain` body is what a page on another site can send without asking (no CORS preflight). Pure.
 */
export function bodyTypeVerdict(input: BodyTypeInput): Verdict {
  if (isSafeMethod(input.method)) return { allowed: true };
  if (input.contentType === undefined) {
    const hasBody = input.transferEncoding !== undefined || (input.contentLength !== undefined && input.contentLength.trim() !== '0');
    return hasBody ? { allowed: false, reason: 'a request body needs content-type: application/json' } : { allowed: true };
  }
  const [media, ...params] = input.contentType.split(';').map((p) => p.trim().toLowerCase());
  if (media !== 'application/json') {
    return { allowed: false, reason: `expected application/json or no body (got ${JSON.stringify(input.contentType.slice(0, 100))})` };
  }
  for (const p of params) {
    const [name, value = ''] = p.split('=').map((x) => x.trim());
    if (name === 'charset' && value.replace(/"/g, '') !== 'utf-8') {
      return { allowed: false, reason: `expected charset=utf-8 (got ${JSON.stringify(value.slice(0, 50))})` };
    }
  }
  return { allowed: true };
}
