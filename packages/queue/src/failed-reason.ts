/**
 * The failedReason of a dead letter is `[CODE] human message`: CODE is a PermanentCode, or
 * RETRIES_EXHAUSTED when transient failures used up every attempt. These two functions are the only
 * places that know the format.
 */

/** `[CODE] message`, on one line (newlines folded so Bull Board and logs show it whole). */
export function formatFailedReason(code: string, message: string): string {
  return `[${code}] ${message.replace(/\s*\r?\n\s*/g, ' ').trim()}`;
}

const CODED = /^\[([A-Z][A-Z0-9_]*)\]\s*([\s\S]*)$/;

/**
 * Reads a failedReason back (surrounding blanks trimmed). Reasons BullMQ wrote itself (stalled too often, lock
 * lost...) have no code and come back as `UNKNOWN` with the whole text as message; a missing reason gives an
 * empty message.
 */
export function parseFailedReason(reason: string | undefined | null): { code: string; message: string } {
  const text = (reason ?? '').trim();
  const m = CODED.exec(text);
  if (!m) return { code: 'UNKNOWN', message: text };
  return { code: m[1], message: m[2].trim() };
}
