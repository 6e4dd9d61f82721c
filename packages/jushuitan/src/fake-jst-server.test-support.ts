/**
 * Test-only: a tiny JST stand-in on 127.0.0.1:0 that records what it receives and answers what the test's
 * handler returns. Deliberately independent of the client's code (own form decoding and signing).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  form: Record<string, string>;
  /** `biz` parsed as JSON, when present. */
  biz?: Record<string, unknown>;
}

export interface FakeAnswer {
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Never answer (to provoke a client timeout). */
  hang?: boolean;
}

export type FakeHandler = (req: ReceivedRequest, index: number) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeJst {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startFakeJst(handler: FakeHandler): Promise<FakeJst> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const [path, query = ''] = (req.url ?? '/').split('?');
      const form: Record<string, string> = {};
      for (const pair of rawBody.split('&').filter(Boolean)) {
        const [k, v = ''] = pair.split('=');
        form[decodeURIComponent(k.replace(/\+/g, ' '))] = decodeURIComponent(v.replace(/\+/g, ' '));
      }
      let biz: Record<string, unknown> | undefined;
      if (form.biz !== undefined) {
        try {
          biz = JSON.parse(form.biz) as Record<string, unknown>;
        } catch {
          biz = undefined;
        }
      }
      const received: ReceivedRequest = { method: req.method ?? '', path, query, headers: req.headers, rawBody, form, biz };
      requests.push(received);
      Promise.resolve(handler(received, requests.length - 1)).then(
        (a) => {
          if (a.hang) return;
          const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
          res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json;charset=utf-8', ...a.headers });
          res.end(body);
        },
        (e: unknown) => {
          res.writeHead(599, { 'content-type': 'text/plain' });
          res.end(String(e));
        },
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A success envelope. */
export function ok(data: unknown): FakeAnswer {
  return { body: { code: 0, msg: '执行成功', data } };
}

/** An error envelope. */
export function fail(code: number, msg: string): FakeAnswer {
  return { body: { code, msg, data: null } };
}

/** A query page envelope. */
export function page(datas: unknown[], p: { pageIndex?: number; pageSize?: number; hasNext?: boolean } = {}): FakeAnswer {
  return ok({ page_index: p.pageIndex ?? 1, page_size: p.pageSize ?? 50, has_next: p.hasNext ?? false, datas });
}

/** A token answer. */
export function token(accessToken: string, refreshToken = `refresh-${accessToken}`): FakeAnswer {
  return ok({ access_token: accessToken, refresh_token: refreshToken, expires_in: 2592000, scope: 'all' });
}

/** Independent check of the JST signature over the decoded form (reference §2.3). */
export function expectedSign(form: Record<string, string>, secret: string): string {
  const keys = Object.keys(form).filter((k) => k !== 'sign' && form[k] !== '').sort();
  return createHash('md5').update(secret + keys.map((k) => k + form[k]).join(''), 'utf8').digest('hex');
}
