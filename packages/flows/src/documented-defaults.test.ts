/**
 * One truth for defaults: what config/sync.config.example.yaml and README.md say a key defaults to is what the
 * schema does. The example states each default in the comment above its key (`Default: 15000.`); the README's
 * configuration reference lists them in a table. Both are read here and checked against the schema, by removing
 * the key from the example and parsing it again (so nested and per-entry defaults are checked in context).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parse, parseDocument, type YAMLMap } from 'yaml';
import { DEFAULT_LOOKUP_BEFORE_SAVE, DEFAULT_WRITE_BATCH_SIZE, DEFAULT_WRITE_BATCH_WAIT_MS, DEFAULT_WRITE_MODE } from '@sync/config';
import { syncConfigSchema } from './sync-config';

/** Optional settings the schema leaves unset and the worker defaults where it uses them. */
const APPLIED_AT_USE: Record<string, unknown> = {
  writeBatchSize: DEFAULT_WRITE_BATCH_SIZE,
  writeBatchWaitMs: DEFAULT_WRITE_BATCH_WAIT_MS,
  lookupBeforeSave: DEFAULT_LOOKUP_BEFORE_SAVE,
  writeMode: DEFAULT_WRITE_MODE,
};

const root = join(__dirname, '..', '..', '..');
const exampleText = readFileSync(join(root, 'config', 'sync.config.example.yaml'), 'utf8');
const example = parse(exampleText) as Record<string, unknown>;

type Path = string[];
interface Documented { path: Path; text: string }

/** The comment lines that describe the key below them: those after the last commented-out key (`# unit: Pcs`). */
function ownComment(comment: string): string {
  const lines = comment.split('\n');
  let start = 0;
  lines.forEach((line, i) => {
    if (/^\s*"?(?!Defaults?:)[A-Za-z][\w.-]*"?:(\s|$)/.test(line)) start = i + 1;
  });
  return lines.slice(start).join(' ');
}

/** `Default: X` / `Defaults: X, Y` of a comment: the values in order, or undefined when it states none. */
function documentedValues(comment: string): string[] | undefined {
  const m = /\bDefault(s?):\s*(.*?)(?:\.\s|\.$|$)/.exec(comment);
  if (!m) return undefined;
  const text = m[2]!.trim();
  return m[1] ? text.split(/,\s*/) : [text];
}

/** A comment after the end of a nested block (before the next key of the outer map) trails that block. */
function trailingComment(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const last = node.items[node.items.length - 1];
  return node.comment ?? (last ? trailingComment(last.value) : undefined);
}

/** Every key of the example whose comment states a default, with that default's text. */
function documentedDefaults(): Documented[] {
  const out: Documented[] = [];
  const walk = (map: YAMLMap, path: Path): void => {
    let pending: string[] = [];
    map.items.forEach((pair, i) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const comment = (isScalar(pair.key) ? pair.key.commentBefore : undefined)
        ?? (i === 0 ? map.commentBefore : trailingComment(map.items[i - 1]!.value));
      const values = comment ? documentedValues(ownComment(comment)) : undefined;
      if (values) pending = values;
      else if (comment) pending = [];
      const value = pending.shift();
      if (value !== undefined) out.push({ path: [...path, key], text: value });
      if (isMap(pair.value)) walk(pair.value, [...path, key]);
    });
  };
  const doc = parseDocument(exampleText);
  if (isMap(doc.contents)) walk(doc.contents, []);
  return out;
}

function get(obj: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** The schema's value for `path` when the key is left out of `base` (a deep copy is changed). */
function schemaDefault(base: Record<string, unknown>, path: Path): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const parent = get(copy, path.slice(0, -1)) as Record<string, unknown>;
  const key = path[path.length - 1]!;
  delete parent[key];
  const value = get(syncConfigSchema.parse(copy), path);
  return value === undefined && path[0] === 'flows' && key in APPLIED_AT_USE ? APPLIED_AT_USE[key] : value;
}

/**
 * What a documented default means: `none` / `unset` / `not sent` / a description (computed at run time) = the
 * schema leaves the key unset (or empty); anything else is a YAML value.
 */
function expectedValue(text: string): { unset: true } | { value: unknown } {
  const t = text.replace(/\s*\(.*$/, '').trim();
  if (/^(none|unset|not sent)\b/i.test(t)) return { unset: true };
  if (t === '{}') return { value: {} };
  const date = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?/.exec(t);
  if (date) return { value: date[0] };
  if (/\s/.test(t)) return { unset: true };
  return { value: parse(t) as unknown };
}

function check(base: Record<string, unknown>, path: Path, text: string): void {
  const actual = schemaDefault(base, path);
  const want = expectedValue(text);
  const where = `${path.join('.')} (documented default: ${text})`;
  if ('unset' in want) {
    const empty = actual === undefined || (typeof actual === 'object' && actual !== null && Object.keys(actual).length === 0);
    expect({ where, actual: empty ? 'unset' : actual }).toEqual({ where, actual: 'unset' });
  } else {
    expect({ where, actual }).toEqual({ where, actual: want.value });
  }
}

describe('documented defaults agree with the schema', () => {
  const documented = documentedDefaults();

  it('finds the defaults the example documents (every flow setting and mapping default)', () => {
    const paths = documented.map((d) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining([
      'cutover', 'flows.sales-outbound.enabled', 'flows.sales-outbound.cutoverBy', 'flows.sales-outbound.schedule.everyMs',
      'flows.sales-outbound.schedule.lagSeconds', 'flows.sales-outbound.schedule.lookbackSeconds', 'flows.sales-outbound.attempts',
      'flows.sales-outbound.writeBatchSize', 'flows.stocktake.billType', 'flows.stocktake.billNoPrefix', 'flows.material.startDate',
      'mappings.skus.mode', 'mappings.defaults.unit', 'mappings.defaults.unmappedUnitsUseDefault',
      'mappings.warehouses.10969016.coversSubWarehouses', 'mappings.warehouses.10969017.bins',
      'mappings.stocks', 'mappings.stocks.CK002.locationFlex', 'mappings.stocks.CK002.defaultLocation',
    ]));
    expect(documented.length).toBeGreaterThan(50);
  });

  it.each(documentedDefaults().map((d) => [d.path.join('.'), d] as const))('config/sync.config.example.yaml: %s', (_name, d) => {
    check(example, d.path, d.text);
  });

  /** README rows such as | `flows.<flow>.schedule.everyMs` | `15000` | …, with ` / ` between several keys. */
  const readmeRows = readFileSync(join(root, 'README.md'), 'utf8')
    .split('\n')
    .map((line) => /^\| (`(?:flows\.<flow>|mappings|cutover)[^|]*) \| ([^|]*) \|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .flatMap((m) => {
      // A key after ` / ` may be relative to the first one (`lagSeconds` after `flows.<flow>.schedule.lagSeconds`).
      const keys = [...m[1]!.matchAll(/`([^`]+)`/g)].map((k) => k[1]!).map((k, i, all) => (i > 0 && !k.includes('.') ? `${all[0]!.replace(/[^.]+$/, '')}${k}` : k));
      const values = m[2]!.trim() === '—' ? keys.map(() => 'none') : [...m[2]!.matchAll(/`([^`]*)`|(?:^|\/)\s*([a-z][a-z ]*[a-z])\s*(?=\/|$)/g)].map((v) => v[1] ?? v[2]!);
      return keys.length === values.length && !/per flow/.test(m[2]!) ? keys.map((k, i) => [k, values[i]!] as const) : [];
    });

  it('finds the README configuration reference rows', () => {
    expect(readmeRows.map(([k]) => k)).toEqual(expect.arrayContaining(['cutover', 'flows.<flow>.schedule.everyMs', 'flows.<flow>.cutoverBy', 'mappings.skus.mode']));
  });

  it.each(readmeRows)('README.md: %s defaults to %s', (key, text) => {
    // A flow key is checked on sales-outbound; a relative key (`lagSeconds` after `flows.<flow>.schedule.`) on its row's base.
    const path = key.replace('flows.<flow>.', 'flows.sales-outbound.').replace(/"<[^>]+>"/, '10969016').split('.');
    check(example, path, text);
  });
});
