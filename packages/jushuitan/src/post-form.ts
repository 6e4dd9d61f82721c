import { isAxiosError, type AxiosInstance } from 'axios';
import { encodeForm } from './form-body';
import type { JstRawResponse } from './envelope';

/**
 * POSTs `params` form-encoded (UTF-8) to `url` and returns the answer as received, whatever its status (the body
 * as text, so nothing is lost before validation). Rejects only when no answer arrived (network, timeout): use
 * {@link networkErrorOf} to describe that failure for a classifier.
 */
export async function postForm(http: AxiosInstance, url: string, params: Record<string, string>, timeoutMs: number): Promise<JstRawResponse> {
  const res = await http.post<unknown>(url, encodeForm(params), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', Accept: 'application/json' },
    timeout: timeoutMs,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
    validateStatus: () => true,
  });
  return {
    status: res.status,
    body: bodyText(res.data),
    contentType: headerText(res.headers['content-type']),
    retryAfter: headerText(res.headers['retry-after']),
  };
}

/** The socket/axios code and message of a failed POST. */
export function networkErrorOf(e: unknown): { code?: string; message: string } {
  let code: string | undefined;
  if (isAxiosError(e)) code = e.code;
  else if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') code = (e as { code: string }).code;
  return { code, message: e instanceof Error ? e.message : String(e) };
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data === undefined || data === null) return '';
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

function headerText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String).join(', ') : String(v);
}
