import { z } from 'zod';
import { parseBeijing } from './beijing-time';
import { JstRejection } from './error-codes';

/**
 * zod building blocks for biz parameters, lenient the way the JST gateway is: integers may come as numbers or
 * numeric strings, booleans as true/false or "true"/"false", and null or "" means absent.
 */
export const bizInt = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number)]);
export const bizBool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
export const bizIdList = (max: number) => z.array(z.union([z.string(), z.number()]).transform(String)).max(max, `at most ${max} ids`);

/** Drops null and "" values so that optional parameters treat them as absent. */
export function withoutEmpty(biz: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(biz).filter(([, v]) => v !== null && v !== ''));
}

/** Parses biz with `schema`, turning the first issue into a 140 rejection naming the parameter. */
export function parseBiz<T extends z.ZodType>(schema: T, biz: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(withoutEmpty(biz));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length ? issue.path.map(String).join('.') : 'biz';
  throw new JstRejection('badParameter', `${path}: ${issue.message}`);
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Validates a modified-time window (both ends together, `yyyy-MM-dd HH:mm:ss` Beijing time, begin <= end,
 * at most 7 days apart). Returns undefined when neither end is given (the caller decides whether that is allowed).
 */
export function checkWindow(
  begin: string | undefined,
  end: string | undefined,
  names: { begin: string; end: string } = { begin: 'modified_begin', end: 'modified_end' },
): { begin: string; end: string } | undefined {
  if (begin === undefined && end === undefined) return undefined;
  if (begin === undefined) throw new JstRejection('badParameter', `${names.begin}: required together with ${names.end}`);
  if (end === undefined) throw new JstRejection('badParameter', `${names.end}: required together with ${names.begin}`);
  const b = parseBeijing(begin);
  if (b === undefined) throw new JstRejection('badParameter', `${names.begin}: must be yyyy-MM-dd HH:mm:ss, got ${JSON.stringify(begin)}`);
  const e = parseBeijing(end);
  if (e === undefined) throw new JstRejection('badParameter', `${names.end}: must be yyyy-MM-dd HH:mm:ss, got ${JSON.stringify(end)}`);
  if (e < b) throw new JstRejection('badParameter', `${names.end}: must not be before ${names.begin}`);
  if (e - b > WEEK_MS) throw new JstRejection('badParameter', `${names.begin}/${names.end}: the window must not exceed 7 days`);
  return { begin, end };
}
