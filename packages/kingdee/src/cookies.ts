/** Reads `name=value` pairs from Set-Cookie header values (attributes ignored). Pure. */
export function parseSetCookies(setCookie: readonly string[] | string | undefined): [string, string][] {
  if (setCookie === undefined) return [];
  const list = typeof setCookie === 'string' ? [setCookie] : setCookie;
  const out: [string, string][] = [];
  for (const line of list) {
    const pair = line.split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    out.push([pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()]);
  }
  return out;
}

/** `a=1; b=2` from a cookie jar; undefined when empty. Pure. */
export function cookieHeader(jar: ReadonlyMap<string, string>): string | undefined {
  if (jar.size === 0) return undefined;
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}
