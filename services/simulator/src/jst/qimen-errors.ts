/**
 * The Qimen gateway's answers (jst-qimen.md §4): failures in the confirmed `response` wrapper with a numeric TOP
 * code (`{"response":{"flag":"failure","code":25,"message":"Invalid signature","request_id":"…"}}`, optionally
 * `sub_code`/`sub_message`), or a string code for a failure of JST behind the gateway (§4.2, shape of the
 * standard scene). Success bodies come in the shape the simulator's settings pick (§4.3 is unconfirmed).
 */
import { codeText, type CodeTable } from './code-table';
import type { QimenEnvelope } from './settings';

/** TOP platform codes the simulator answers with (jst-qimen.md §4.1). */
export const TOP_CODES = {
  callLimited: { code: 7, text: 'App Call Limited' },
  unavailable: { code: 10, text: 'Service currently unavailable' },
  remoteError: { code: 15, text: 'Remote service error' },
  missingMethod: { code: 21, text: 'Missing method' },
  invalidMethod: { code: 22, text: 'Invalid method' },
  invalidFormat: { code: 23, text: 'Invalid format' },
  missingSignature: { code: 24, text: 'Missing signature' },
  invalidSignature: { code: 25, text: 'Invalid signature' },
  missingAppKey: { code: 28, text: 'Missing app key' },
  invalidAppKey: { code: 29, text: 'Invalid app Key' },
  missingTimestamp: { code: 30, text: 'Missing timestamp' },
  invalidTimestamp: { code: 31, text: 'Invalid timestamp' },
  missingArguments: { code: 40, text: 'Missing required arguments' },
  invalidArguments: { code: 41, text: 'Invalid arguments' },
} as const satisfies CodeTable;

export type TopCodeName = keyof typeof TOP_CODES;

/** A refusal: a TOP code by name, or a JST business code (a string). */
export class QimenRejection extends Error {
  readonly code: number | string;
  readonly subCode?: string;
  readonly subMessage?: string;
  constructor(what: TopCodeName | { code: string; text: string }, sub?: { subCode?: string; subMessage?: string }) {
    const base = typeof what === 'string' ? TOP_CODES[what] : what;
    super(codeText(base));
    this.name = 'QimenRejection';
    this.code = base.code;
    this.subCode = sub?.subCode;
    this.subMessage = sub?.subMessage;
  }
}

let requestCounter = 0;
/** A TOP-looking request id (13 base-36 characters). */
export function requestId(): string {
  requestCounter = (requestCounter + 1) % 1_000_000;
  return `${Date.now().toString(36)}${requestCounter.toString(36)}`.slice(-13).padStart(13, '0');
}

/** The failure body. */
export function qimenFailure(r: QimenRejection): { response: Record<string, unknown> } {
  return {
    response: {
      flag: 'failure',
      code: r.code,
      message: r.message,
      ...(r.subCode !== undefined && { sub_code: r.subCode }),
      ...(r.subMessage !== undefined && { sub_message: r.subMessage }),
      request_id: requestId(),
    },
  };
}

/** The success body for `method` in the configured shape. */
export function qimenSuccess(shape: QimenEnvelope, method: string, page: Record<string, unknown>): Record<string, unknown> {
  if (shape === 'response') return { response: { flag: 'success', code: '0', message: '', ...page, request_id: requestId() } };
  if (shape === 'method-response') return { [`${method.split('.').join('_')}_response`]: { result: { code: 0, ...page }, request_id: requestId() } };
  return { code: '0', msg: '成功', success: true, data: page };
}
