/**
 * The logging surface the client needs; a pino Logger satisfies it. The client logs op, formId, duration,
 * session index and MsgCode, never passwords, app secrets, session ids or signatures.
 */
export interface KingdeeLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Discards everything. */
export const noopKingdeeLogger: KingdeeLogger = { debug() {}, info() {}, warn() {} };
