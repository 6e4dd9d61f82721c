/**
 * `promise`'s value, or `fallback` if it has not settled within `ms`. The timer is cleared either way, so a
 * bounded wait leaves no open handle behind (a bare `Promise.race` with a sleep keeps the process alive until
 * the sleep ends).
 */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((resolve) => { timer = setTimeout(() => resolve(fallback), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
