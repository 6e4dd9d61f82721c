/** Keys whose values never reach a log: credentials, and the buyer's personal data Qimen rows carry (jst-qimen.md §6.7). */
const REDACTED_KEY = /secret|token|sign$|^sign|session|password|^receiver_|buyer|mobile|phone|open_id|^address$|id_card|invoice_title|buyer_tax_no/i;
const MAX_CHARS = 8000;
const MAX_ROWS = 3;

/**
 * A raw Qimen answer made safe for a debug log: JSON is kept in its exact structure (so the parser can be frozen
 * against a real answer) with the values of credential and buyer-data keys replaced by "[redacted]" and row lists
 * cut to their first rows; anything else is cut to its first characters with `secrets` masked. Pure.
 */
export function redactQimenBody(body: string, secrets: readonly string[] = []): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return clip(mask(body, secrets));
  }
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const head = v.slice(0, MAX_ROWS).map(walk);
      return v.length > MAX_ROWS ? [...head, `[${v.length - MAX_ROWS} more]`] : head;
    }
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, REDACTED_KEY.test(k) && x !== null && x !== '' ? '[redacted]' : walk(x)]));
    }
    return typeof v === 'string' ? mask(v, secrets) : v;
  };
  return clip(JSON.stringify(walk(json)));
}

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

function clip(text: string): string {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}
