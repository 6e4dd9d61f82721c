import type { z } from 'zod';

/**
 * A zod error as one readable line: `items.2.qty: expected number, received string; io_date: required`.
 * At most `max` issues are listed (then `(+n more)`).
 */
export function formatZodIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : '(root)';
    return `${path}: ${i.message.replace(/^Invalid input:\s*/i, '')}`;
  });
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}

/** Dotted path of the first issue (the `field` of the error details). */
export function firstIssuePath(error: z.ZodError): string | undefined {
  const first = error.issues[0];
  return first && first.path.length ? first.path.map(String).join('.') : undefined;
}
