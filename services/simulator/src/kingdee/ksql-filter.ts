import { dateSortKey } from './kd-date';

/**
 * The subset of KSQL WHERE fragments integrations send in `FilterString`: comparisons
 * (`= <> != >= <= > <`), `[not] like`, `[not] in (...)`, `is [not] null`, `and`/`or`/`not`, parentheses,
 * single-quoted strings (`''` escapes a quote, `N'..'` accepted) and numbers. Comparison follows SQL
 * Server's default collation: case-insensitive; dates compare as dates whatever their spelling.
 */
export type Operand = { t: 'field'; key: string } | { t: 'lit'; value: string | number };
export type FilterNode =
  | { t: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { t: 'not'; e: FilterNode }
  | { t: 'cmp'; op: '=' | '<>' | '>' | '<' | '>=' | '<='; l: Operand; r: Operand }
  | { t: 'like'; l: Operand; pattern: Operand; negate: boolean }
  | { t: 'in'; l: Operand; list: Operand[]; negate: boolean }
  | { t: 'null'; l: Operand; negate: boolean }
  | { t: 'true' };

type Token = { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'op'; v: string } | { t: 'punc'; v: '(' | ')' | ',' };

export class FilterSyntaxError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || ((c === 'N' || c === 'n') && src[i + 1] === "'")) {
      if (c !== "'") i++;
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterSyntaxError('unterminated string');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? '') && (out.length === 0 || out[out.length - 1].t === 'op' || out[out.length - 1].t === 'punc'))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`bad number at ${i}`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_\u4e00-\u9fa5]/.test(c)) {
      const m = /^[A-Za-z_\u4e00-\u9fa5][A-Za-z0-9_.\u4e00-\u9fa5]*/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`bad identifier at ${i}`);
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punc', v: c });
      i++;
    } else {
      const m = /^(<>|!=|>=|<=|=|>|<)/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${c}' at ${i}`);
      out.push({ t: 'op', v: m[0] === '!=' ? '<>' : m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Parses a FilterString; blank → a node that is always true. Throws FilterSyntaxError. */
export function parseFilter(src: string): FilterNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string, tok = peek()): boolean => tok?.t === 'id' && tok.v.toLowerCase() === w;
  const expectPunc = (p: string): void => {
    const tok = tokens[pos++];
    if (tok?.t !== 'punc' || tok.v !== p) throw new FilterSyntaxError(`expected '${p}'`);
  };

  const operand = (): Operand => {
    const tok = tokens[pos++];
    if (!tok) throw new FilterSyntaxError('unexpected end');
    if (tok.t === 'id') return { t: 'field', key: tok.v };
    if (tok.t === 'str' || tok.t === 'num') return { t: 'lit', value: tok.v };
    throw new FilterSyntaxError(`unexpected '${String(tok.v)}'`);
  };

  const predicate = (): FilterNode => {
    const l = operand();
    let negate = false;
    if (isWord('is')) {
      pos++;
      if (isWord('not')) (pos++, (negate = true));
      if (!isWord('null')) throw new FilterSyntaxError('expected null');
      pos++;
      return { t: 'null', l, negate };
    }
    if (isWord('not')) (pos++, (negate = true));
    if (isWord('like')) {
      pos++;
      return { t: 'like', l, pattern: operand(), negate };
    }
    if (isWord('in')) {
      pos++;
      expectPunc('(');
      const list = [operand()];
      while (peek()?.t === 'punc' && peek()?.v === ',') (pos++, list.push(operand()));
      expectPunc(')');
      return { t: 'in', l, list, negate };
    }
    if (negate) throw new FilterSyntaxError('expected like or in after not');
    const op = tokens[pos++];
    if (op?.t !== 'op') throw new FilterSyntaxError('expected a comparison operator');
    return { t: 'cmp', op: op.v as '=', l, r: operand() };
  };

  const unary = (): FilterNode => {
    if (isWord('not')) {
      pos++;
      return { t: 'not', e: unary() };
    }
    if (peek()?.t === 'punc' && peek()?.v === '(') {
      pos++;
      const e = or();
      expectPunc(')');
      return e;
    }
    return predicate();
  };
  const and = (): FilterNode => {
    let l = unary();
    while (isWord('and')) (pos++, (l = { t: 'and', l, r: unary() }));
    return l;
  };
  const or = (): FilterNode => {
    let l = and();
    while (isWord('or')) (pos++, (l = { t: 'or', l, r: and() }));
    return l;
  };

  if (tokens.length === 0) return { t: 'true' };
  const node = or();
  if (pos < tokens.length) throw new FilterSyntaxError(`unexpected '${String(tokens[pos].v)}'`);
  return node;
}

/** Every field key the filter reads (for the unknown-field check). */
export function filterFields(node: FilterNode): string[] {
  const ops = (list: Operand[]): string[] => list.flatMap((o) => (o.t === 'field' ? [o.key] : []));
  switch (node.t) {
    case 'and':
    case 'or':
      return [...filterFields(node.l), ...filterFields(node.r)];
    case 'not':
      return filterFields(node.e);
    case 'cmp':
      return ops([node.l, node.r]);
    case 'like':
      return ops([node.l, node.pattern]);
    case 'in':
      return ops([node.l, ...node.list]);
    case 'null':
      return ops([node.l]);
    case 'true':
      return [];
  }
}

/**
 * Orders two cell values the way the database would: numbers numerically, dates as dates, text
 * case-insensitively; booleans as 1/0. Undefined when either side is null (SQL: unknown).
 */
export function compareCells(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  const norm = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
  let x = norm(a);
  let y = norm(b);
  if (typeof x === 'number' && typeof y === 'string') y = y.trim() !== '' && Number.isFinite(Number(y)) ? Number(y) : y === 'true' ? 1 : y === 'false' ? 0 : y;
  if (typeof y === 'number' && typeof x === 'string') x = x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : x;
  if (typeof x === 'number' && typeof y === 'number') return x === y ? 0 : x < y ? -1 : 1;
  const xs = String(x);
  const ys = String(y);
  const dx = dateSortKey(xs);
  const dy = dateSortKey(ys);
  const [p, q] = dx !== undefined && dy !== undefined ? [dx, dy] : [xs.toLowerCase(), ys.toLowerCase()];
  return p === q ? 0 : p < q ? -1 : 1;
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'is');
}

/** Evaluates the filter for one row; `read` returns a field's cell value. */
export function evaluateFilter(node: FilterNode, read: (key: string) => unknown): boolean {
  const val = (o: Operand): unknown => (o.t === 'field' ? read(o.key) : o.value);
  switch (node.t) {
    case 'true':
      return true;
    case 'and':
      return evaluateFilter(node.l, read) && evaluateFilter(node.r, read);
    case 'or':
      return evaluateFilter(node.l, read) || evaluateFilter(node.r, read);
    case 'not':
      return !evaluateFilter(node.e, read);
    case 'null': {
      const v = val(node.l);
      return (v === null || v === undefined) !== node.negate;
    }
    case 'like': {
      const v = val(node.l);
      const p = val(node.pattern);
      if (v === null || v === undefined || p === null || p === undefined) return false;
      return likeRegex(String(p)).test(String(v)) !== node.negate;
    }
    case 'in': {
      const v = val(node.l);
      if (v === null || v === undefined) return false;
      return node.list.some((o) => compareCells(v, val(o)) === 0) !== node.negate;
    }
    case 'cmp': {
      const c = compareCells(val(node.l), val(node.r));
      if (c === undefined) return false;
      switch (node.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '>':
          return c > 0;
        case '<':
          return c < 0;
        case '>=':
          return c >= 0;
        case '<=':
          return c <= 0;
      }
    }
  }
}
