import { codeText, type CodeTable } from './code-table';

/**
 * The JST open API's error-code table (reference §12, the table suggested in §12/§13b; the Qimen gateway's is in
 * qimen-errors.ts, both of one type, code-table.ts):
 * 140 is a parameter error and 180 a timestamp outside the allowed skew. Errors are answered with HTTP 200
 * and the envelope `{code, msg, data: null}`.
 */
export const JST_CODES = {
  ok: { code: 0, text: '执行成功' },
  badSign: { code: 10, text: '验证失败!无效签名' },
  badToken: { code: 100, text: '验证失败！无效的access_token或access_token已过期' },
  emptyData: { code: 130, text: '传输数据不能为空' },
  badParameter: { code: 140, text: '参数不符合规范,请检查传入参数!' },
  internal: { code: 150, text: '内部处理异常！' },
  isvRefreshForbidden: { code: 150, text: '服务商应用禁止刷新access_token,需商户重新授权' },
  badTimestamp: { code: 180, text: '执行失败!timestamp无效,请求最大时间误差10分钟' },
  noPermission: { code: 190, text: '验证失败!调用无权限' },
  perSecond: { code: 199, text: '调用太频繁，请稍后再试!' },
  perMinute: { code: 200, text: '调用频次超过限制!' },
} as const satisfies CodeTable;

export type JstCodeName = keyof typeof JST_CODES;

/** A protocol rejection: becomes `{code, msg, data: null}` with HTTP 200. `detail` is appended to the message. */
export class JstRejection extends Error {
  readonly code: number;
  constructor(name: JstCodeName, detail?: string) {
    const base = JST_CODES[name];
    super(codeText(base, detail));
    this.name = 'JstRejection';
    this.code = base.code;
  }
}

/** The JST error envelope. */
export function errorEnvelope(code: number, msg: string): { code: number; msg: string; data: null } {
  return { code, msg, data: null };
}
