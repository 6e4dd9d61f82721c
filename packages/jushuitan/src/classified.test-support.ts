/** Test-only: the expected outcome of a classifier table row, and the one assertion every table uses. */
import { PermanentError, RateLimitedError, TransientError, type ClassifiedError } from '@sync/errors';

export type ExpectedClassification =
  | null
  | { kind: 'transient'; code: string; message?: RegExp }
  | { kind: 'rate-limited'; code: string; retryAfterMs: number }
  | { kind: 'permanent'; code: string; message?: RegExp; field?: string };

/** Asserts that `err` is what `expected` says (null: success), and that its message names `where`. */
export function expectClassified(err: ClassifiedError | null, expected: ExpectedClassification, where: string): void {
  if (expected === null) {
    expect(err).toBeNull();
    return;
  }
  expect(err).not.toBeNull();
  expect(err!.kind).toBe(expected.kind);
  expect(err!.code).toBe(expected.code);
  const cls = { transient: TransientError, 'rate-limited': RateLimitedError, permanent: PermanentError }[expected.kind];
  expect(err).toBeInstanceOf(cls);
  if (expected.kind === 'rate-limited') expect((err as RateLimitedError).retryAfterMs).toBe(expected.retryAfterMs);
  if ('message' in expected && expected.message) expect(err!.message).toMatch(expected.message);
  if (expected.kind === 'permanent' && expected.field) expect(err!.details.field).toBe(expected.field);
  expect(err!.message).toContain(where);
}
