/**
 * The one shape of the simulator's refusal tables: the JST open API's codes (error-codes.ts, reference §12) and the
 * Qimen gateway's TOP codes (qimen-errors.ts, jst-qimen.md §4.1). Each protocol puts `text` under its own key
 * (`msg` for JST, `message` for TOP) when it answers.
 */
export interface ProtocolCode {
  readonly code: number;
  readonly text: string;
}

/** A protocol's refusals by name; declare one `as const satisfies CodeTable` so names and codes stay literal. */
export type CodeTable = Readonly<Record<string, ProtocolCode>>;

/** The text of a table entry with an optional detail appended (`<text> <detail>`). */
export function codeText(entry: Pick<ProtocolCode, 'text'>, detail?: string): string {
  return detail ? `${entry.text} ${detail}` : entry.text;
}
