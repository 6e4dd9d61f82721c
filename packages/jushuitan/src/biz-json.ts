/**
 * Serialises `biz` to the JSON string that is both sent and signed. Like JSON.stringify, plus bigint values are
 * written as bare integers (start_ts rowversions can pass 2^53). Throws TypeError for values JSON cannot hold.
 */
export function stringifyBiz(biz: Record<string, unknown>): string {
  const marks: string[] = [];
  const text = JSON.stringify(biz, (_key, value: unknown) => {
    if (typeof value === 'bigint') {
      marks.push(value.toString());
      return `\u0000bigint${marks.length - 1}\u0000`;
    }
    return value;
  });
  if (text === undefined) throw new TypeError('biz is not JSON-serialisable');
  if (!marks.length) return text;
  // JSON.stringify escapes U+0000 as \u0000, so only our markers can match.
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]);
}
