const CODED = /^\[([A-Z][A-Z0-9_]*)\]\s*([\s\S]*)$/;

/**
 * Splits a BullMQ failedReason written as `[CODE] human message` (the worker runner's format) into its parts.
 * A reason without a code gives `UNKNOWN` and the whole text; a missing reason gives an empty message.
 */
export function parseFailedReason(reason: string | undefined | null): { code: string; message: string } {
  const text = (reason ?? '').trim();
  const m = CODED.exec(text);
  if (!m) return { code: 'UNKNOWN', message: text };
  return { code: m[1], message: m[2].trim() };
}
