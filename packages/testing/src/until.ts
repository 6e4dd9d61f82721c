/**
 * Resolves once `check` holds, asking every `everyMs`. After `timeoutMs` it throws
 * `timed out after <timeoutMs> ms waiting for <what>`, followed by what `explain()` says (the state a reader of the
 * failure needs: counts, a child's output). For waits on an outcome or a count, never for "nothing more happened".
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
  explain?: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = explain ? `: ${await explain()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
