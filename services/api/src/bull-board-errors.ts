/**
 * BullMQ refuses an action on a job that is not in the state the action needs (promote a job that is not
 * delayed, retry one that is not failed, a job removed meanwhile …) by throwing from its Lua scripts, and Bull
 * Board answers whatever it catches as 500. Those are conflicts with the job's current state, not server faults:
 * this recognises them by BullMQ's own wording so they can be answered 409.
 */
const JOB_STATE_ERRORS = [
  /^Missing key for job /,
  /^Missing lock for job /,
  /^Lock mismatch for job /,
  /^Job .+ is not in the \S+ state/,
  /^Job .+ has pending dependencies/,
  /^Job .+ belongs to a job scheduler/,
  /^Job .+ is not in a state that can be /,
];

/** True when `message` is BullMQ's refusal of an action because of the job's current state. */
export function isJobStateError(message: string): boolean {
  return JOB_STATE_ERRORS.some((re) => re.test(message));
}

/**
 * The 409 answer for a Bull Board 500 whose body carries a BullMQ job-state refusal, in the usual error shape
 * (`field` names the job); undefined for any other answer (a real fault stays a 500).
 */
export function jobStateConflict(statusCode: number, payload: unknown): { error: string; field: string; message: string } | undefined {
  if (statusCode !== 500 || typeof payload !== 'string') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  if (typeof message !== 'string' || !isJobStateError(message)) return undefined;
  return { error: 'conflict', field: 'jobId', message: `jobId: ${message.trim()}` };
}

/**
 * The first query parameter of a Bull Board request whose value holds a NUL character, as a 400 body in the
 * usual shape; undefined when there is none. Bull Board uses NUL inside its own validation messages and answers
 * 500 when an input carries one, so such input is refused before it reaches Bull Board.
 */
export function nulInQuery(query: unknown): { error: string; field: string; message: string } | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
      return { error: 'bad_request', field: name, message: `${name}: must not contain a NUL character` };
    }
  }
  return undefined;
}
