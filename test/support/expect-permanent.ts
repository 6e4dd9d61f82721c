/**
 * The one assertion of a permanent failure: a document that cannot be written waits in the dead letters under a
 * stable code, with a message that names it and what is wrong (STYLE principle 6).
 */
import type { Letter } from './system';

/**
 * Asserts that `letters` hold a dead letter for `docId` with `code`, whose message contains `docId` (unless
 * `namesDoc: false`, for a row read without its id) and every string of `mentions`. Returns that letter.
 */
export function expectPermanent<L extends Letter>(
  letters: readonly L[],
  docId: string,
  want: { code: string; mentions?: readonly string[]; namesDoc?: boolean },
): L {
  const letter = letters.find((l) => l.docId === docId);
  expect({ docId, deadLetter: letter !== undefined }).toEqual({ docId, deadLetter: true });
  expect({ docId, code: letter!.code }).toEqual({ docId, code: want.code });
  for (const m of [...(want.namesDoc === false ? [] : [docId]), ...(want.mentions ?? [])]) expect(letter!.message).toContain(m);
  return letter!;
}
