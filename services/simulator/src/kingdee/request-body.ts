import { ciGet, ciGetAny, isRecord } from './case-insensitive';

/**
 * The two request-body conventions (reference §1): named `{"formid": F, "data": D}` (keys in any case,
 * `data` an object or a JSON string) and positional `{"parameters": [F, "<json>"]}`. Query-type ops have
 * no form id: `{"data": D}` / `{"parameters": ["<json>"]}`.
 */
export type ParsedBody = { kind: 'named'; fields: Record<string, unknown> } | { kind: 'positional'; parameters: unknown[] };

export class BodyError extends Error {}

/** Raw body text → one of the conventions; an empty body is an empty named body. Throws BodyError. */
export function parseRequestBody(raw: string): ParsedBody {
  if (raw.trim() === '') return { kind: 'named', fields: {} };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BodyError('request body is not valid JSON');
  }
  if (!isRecord(json)) throw new BodyError('request body must be a JSON object');
  const parameters = ciGet(json, 'parameters');
  if (Array.isArray(parameters)) return { kind: 'positional', parameters };
  if (typeof parameters === 'string') {
    try {
      const parsed: unknown = JSON.parse(parameters);
      if (Array.isArray(parsed)) return { kind: 'positional', parameters: parsed };
    } catch {
      // fall through: a plain named body that happens to have a `parameters` string
    }
  }
  return { kind: 'named', fields: json };
}

function asData(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new BodyError('data is not valid JSON');
    }
    if (isRecord(parsed)) return parsed;
    throw new BodyError('data must be a JSON object');
  }
  if (value === undefined || value === null || value === '') return {};
  throw new BodyError('data must be a JSON object');
}

/** Arguments of a form operation (Save, Submit, View...). */
export function formCallArgs(body: ParsedBody): { formId: string; data: Record<string, unknown> } {
  if (body.kind === 'positional') {
    const [formId, data] = body.parameters;
    return { formId: typeof formId === 'string' ? formId : '', data: asData(data) };
  }
  const formId = ciGetAny(body.fields, ['formid']);
  return { formId: typeof formId === 'string' ? formId : '', data: asData(ciGet(body.fields, 'data')) };
}

/** Arguments of a query op (ExecuteBillQuery, BillQuery): the data object (its FormId is inside). */
export function queryCallArgs(body: ParsedBody): Record<string, unknown> {
  if (body.kind === 'positional') return asData(body.parameters[body.parameters.length - 1]);
  const data = ciGet(body.fields, 'data');
  return data === undefined ? body.fields : asData(data);
}

/** A login op's arguments: positional by index, or named by the given keys (case-insensitive). */
export function loginArgs(body: ParsedBody, names: readonly (readonly string[])[]): string[] {
  return names.map((aliases, i) => {
    const v = body.kind === 'positional' ? body.parameters[i] : ciGetAny(body.fields, aliases);
    return v === undefined || v === null ? '' : String(v);
  });
}
