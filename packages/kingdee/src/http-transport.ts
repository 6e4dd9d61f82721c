import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import type { KingdeeFailure } from './classify';

export interface HttpAnswer {
  status: number;
  text: string;
  setCookies: string[];
  retryAfterMs?: number;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; failure: KingdeeFailure };

/** Sends one POST; never throws: failures come back as data for the classifier. */
export interface HttpTransport {
  post(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; write: boolean }): Promise<HttpOutcome>;
  /** Releases pooled sockets. */
  close(): void;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

function retryAfterMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** axios over keep-alive agents; bodies are read as text so the envelope parser sees them verbatim. */
export function createAxiosTransport(): HttpTransport {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });
  const client = axios.create({
    httpAgent,
    httpsAgent,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true },
  });
  return {
    async post(url, body, headers, opts) {
      try {
        const res = await client.post<string>(url, body, { headers, timeout: opts.timeoutMs });
        const raw = res.headers['set-cookie'];
        const setCookies = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
        const text = typeof res.data === 'string' ? res.data : String(res.data ?? '');
        return { ok: true, answer: { status: res.status, text, setCookies, retryAfterMs: retryAfterMs(res.headers['retry-after']) } };
      } catch (err) {
        const code = axios.isAxiosError(err) ? (err.code ?? 'UNKNOWN') : 'UNKNOWN';
        if (TIMEOUT_CODES.has(code)) return { ok: false, failure: { kind: 'timeout', write: opts.write } };
        return { ok: false, failure: { kind: 'network', code } };
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
