import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test double of a K3Cloud site for this package's tests only (the real simulator lives in services/simulator
 * and shares no code). Records every request, tracks concurrency per session id and answers with envelopes the
 * tests build from kingdee-api.md.
 */
export interface FakeRequest {
  /** e.g. `DynamicFormService.Save`, `AuthService.ValidateUser`. */
  service: string;
  /** The last segment, e.g. `Save`. */
  op: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: unknown;
  /** From header `kdservice-sessionid`, else from the cookie of that name. */
  sessionId: string | undefined;
  cookies: Record<string, string>;
}

export interface FakeReply {
  status?: number;
  /** A string is sent verbatim; anything else as JSON. */
  body: unknown;
  headers?: Record<string, string | string[]>;
  delayMs?: number;
}

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeKingdee {
  /** Base URL ending in `/k3cloud/`. */
  url: string;
  requests: FakeRequest[];
  /** Highest number of simultaneous requests seen per session id, and overall. */
  maxInFlightBySession: Map<string, number>;
  maxInFlight(): number;
  close(): Promise<void>;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export async function startFakeKingdee(handler: FakeHandler): Promise<FakeKingdee> {
  const requests: FakeRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxBySession = new Map<string, number>();
  let current = 0;
  let max = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        const match = /ServicesStub\.(.+)\.common\.kdsvc$/.exec(path);
        const service = match ? match[1] : path;
        const cookies = parseCookies(req.headers.cookie);
        const headerSid = req.headers['kdservice-sessionid'];
        const sessionId = (typeof headerSid === 'string' ? headerSid : undefined) ?? cookies['kdservice-sessionid'];
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        const fr: FakeRequest = { service, op: service.split('.').pop() ?? '', path, headers: req.headers, raw, body, sessionId, cookies };
        requests.push(fr);
        const key = sessionId ?? '(none)';
        current += 1;
        max = Math.max(max, current);
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        maxBySession.set(key, Math.max(maxBySession.get(key) ?? 0, inFlight.get(key) ?? 0));
        try {
          const reply = await handler(fr);
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
          res.end(text);
        } catch (err) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(err));
        } finally {
          current -= 1;
          inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/k3cloud/`,
    requests,
    maxInFlightBySession: maxBySession,
    maxInFlight: () => max,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Successful login answer (kingdee-api.md §2.1) plus the two session cookies. */
export function loginOk(kdsvcSessionId: string, aspNetSessionId = 'n3xfizba4et0o2uutwdftvzg'): FakeReply {
  return {
    body: {
      Message: null,
      MessageCode: 'CheckPasswordPolicy',
      LoginResultType: 1,
      Context: { UserLocale: 'zh-CN', DBid: '5f1e2d3c4b5a69', SessionId: aspNetSessionId, UserId: 178301, UserName: 'integration' },
      KDSVCSessionId: kdsvcSessionId,
      FormId: null,
      IsSuccessByAPI: true,
    },
    headers: { 'Set-Cookie': [`kdservice-sessionid=${kdsvcSessionId}; path=/`, `ASP.NET_SessionId=${aspNetSessionId}; path=/; HttpOnly`] },
  };
}

/** Refused login: the official failure template. */
export function loginRefused(message = '用户名或密码错误'): FakeReply {
  return { body: { Message: message, MessageCode: '', LoginResultType: 0, Context: null, FormId: null } };
}

/** The session-lost envelope (MsgCode 1); `wrapped` = the ExecuteBillQuery `[[...]]` form. */
export function sessionLost(wrapped = false): FakeReply {
  const env = {
    Result: {
      ResponseStatus: {
        ErrorCode: 500, IsSuccess: false, Errors: [{ FieldName: null, Message: '会话信息已丢失，请重新登录', DIndex: 0 }],
        SuccessEntitys: [], SuccessMessages: [], MsgCode: 1,
      },
    },
  };
  return { body: wrapped ? [[env]] : env };
}

/** Real Save success (no ErrorCode key). */
export function saveOk(id: number, number: string): FakeReply {
  return {
    body: {
      Result: {
        ResponseStatus: { IsSuccess: true, Errors: [], SuccessEntitys: [{ Id: id, Number: number, DIndex: 0 }], SuccessMessages: [], MsgCode: 0 },
        Id: id, Number: number, NeedReturnData: [{}],
      },
    },
  };
}

/** A failure envelope with the given errors. */
export function failure(errors: { FieldName: string | null; Message: string; DIndex?: number }[], msgCode?: number): FakeReply {
  return {
    body: {
      Result: {
        ResponseStatus: { ErrorCode: 500, IsSuccess: false, Errors: errors, SuccessEntitys: [], SuccessMessages: [], ...(msgCode === undefined ? {} : { MsgCode: msgCode }) },
        Id: '', NeedReturnData: [{}],
      },
    },
  };
}
