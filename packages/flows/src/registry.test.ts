import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { jstDatePart } from './dates';
import { enabledFlows, flowContext, flowNames, flowRegistry, getFlow } from './registry';
import { loadSyncConfig, parseSyncConfig } from './sync-config';
import type { TargetDocument } from './types';

const fixturesRoot = join(__dirname, '..', 'fixtures');
const config = loadSyncConfig(join(fixturesRoot, 'test-config.yaml'));
const NOW = '2024-06-01T00:00:00.000Z';

function fixtureFiles(flow: string): string[] {
  const dir = join(fixturesRoot, flow);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
}

/** The fixtures of flow `name` whose transform writes: the raw row, its document id and the target documents. */
function writtenFixtures(name: string): Array<{ file: string; raw: Record<string, unknown>; docId: string; documents: TargetDocument[] }> {
  const flow = getFlow(name);
  const out = [];
  for (const file of fixtureFiles(name)) {
    const raw = JSON.parse(readFileSync(join(fixturesRoot, name, file), 'utf8')) as Record<string, unknown>;
    const parsed = flow.schema.safeParse(raw);
    if (!parsed.success) continue;
    let result;
    try {
      result = flow.transform(parsed.data, flowContext(name, config, NOW));
    } catch {
      continue;
    }
    if (result.kind === 'write') out.push({ file, raw, docId: flow.docId(parsed.data), documents: result.documents });
  }
  return out;
}

/** The value at a dotted model path (`Section.Field`), undefined where a section is missing. */
function valueAt(model: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, part) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined), model);
}

/** Contract every registered flow must keep (STYLE "Adding a flow"). */
describe.each(flowNames)('flow %s (registry contract)', (name) => {
  const flow = getFlow(name);

  it('is registered under its own name and has a source, a target and fixtures', () => {
    expect(flow.name).toBe(name);
    expect(flow.title).not.toBe('');
    expect(flow.source.path).toMatch(/^\/open\//);
    expect(flow.target.formId).not.toBe('');
    expect(fixtureFiles(name).length).toBeGreaterThan(0);
  });

  it('declares its business date: the field its bills are dated with (FDate), else modified', () => {
    const field = flow.source.businessDate;
    let dated = 0;
    for (const { raw, documents } of writtenFixtures(name)) {
      const date = jstDatePart(raw[field] as string | undefined) ?? jstDatePart(raw.modified as string | undefined);
      for (const doc of documents) expect(doc.model.FDate).toBe(date);
      dated += 1;
    }
    expect(dated).toBeGreaterThan(0);
  });

  it('declares the key field of every form it writes; a source-id field is filled by the transform with the document id', () => {
    const forms = [flow.target.formId, ...(flow.target.otherFormIds ?? [])];
    expect(Object.keys(flow.target.keyFields).sort()).toEqual([...forms].sort());
    let checked = 0;
    for (const { file, docId, documents } of writtenFixtures(name)) {
      for (const doc of documents) {
        const declared = flow.target.keyFields[doc.formId];
        if (declared.holds !== 'source-id') continue;
        expect({ file, formId: doc.formId, key: String(valueAt(doc.model, declared.path)) }).toEqual({ file, formId: doc.formId, key: docId });
        checked += 1;
      }
    }
    const sourceIdForms = forms.filter((formId) => flow.target.keyFields[formId].holds === 'source-id');
    if (sourceIdForms.length) expect(checked).toBeGreaterThan(0);
  });

  it('has settings in the fixture config', () => {
    expect(() => flowContext(name, config, NOW)).not.toThrow();
  });

  it('parses every fixture with its source schema; every successful transform parses with its target schema', () => {
    let written = 0;
    for (const file of fixtureFiles(name)) {
      const raw: unknown = JSON.parse(readFileSync(join(fixturesRoot, name, file), 'utf8'));
      const parsed = flow.schema.safeParse(raw);
      if (!parsed.success) throw new Error(`${name}/${file} does not parse: ${parsed.error.message}`);
      expect(flow.docId(parsed.data)).toMatch(/^\S+$/);
      expect(flow.version(parsed.data)).toMatch(/^\S+$/);
      let result;
      try {
        result = flow.transform(parsed.data, flowContext(name, config, NOW));
      } catch (e) {
        // Fixtures of bad documents must fail the way the worker expects: a PermanentError naming the document.
        expect(e).toBeInstanceOf(PermanentError);
        expect((e as PermanentError).details).toMatchObject({ flow: name, docId: flow.docId(parsed.data) });
        continue;
      }
      if (result.kind === 'skip') {
        expect(result.reason).toContain(flow.docId(parsed.data));
        continue;
      }
      for (const target of result.documents) {
        expect([flow.target.formId, ...(flow.target.otherFormIds ?? [])]).toContain(target.formId);
        const checked = flow.target.schema.safeParse(target.model);
        if (!checked.success) throw new Error(`${name}/${file}: target model invalid: ${checked.error.message}`);
        written += 1;
      }
    }
    expect(written).toBeGreaterThan(0);
  });
});

describe('registry helpers', () => {
  it('lists the registered flows', () => {
    expect(flowNames).toEqual(Object.keys(flowRegistry));
    expect(flowNames).toContain('sales-outbound');
  });

  it('enabledFlows: configured and not disabled', () => {
    expect(enabledFlows(config)).toEqual(['sales-outbound']);
    expect(enabledFlows(parseSyncConfig('flows: {}', 'x'))).toEqual([]);
    expect(enabledFlows(parseSyncConfig('flows: { sales-outbound: { enabled: false } }', 'x'))).toEqual([]);
    expect(enabledFlows(parseSyncConfig('flows: { sales-outbound: {} }', 'x'))).toEqual(['sales-outbound']);
  });

  it('getFlow throws a clear error for an unknown name', () => {
    expect(getFlow('sales-outbound').name).toBe('sales-outbound');
    expect(() => getFlow('purchase-in')).toThrow(ConfigError);
    expect(() => getFlow('purchase-in')).toThrow(`unknown flow "purchase-in" (known flows: ${flowNames.join(', ')})`);
    expect(() => getFlow('toString')).toThrow(/unknown flow "toString"/);
  });

  it('flowContext carries the flow settings, the mappings and the given clock', () => {
    const ctx = flowContext('sales-outbound', config, NOW);
    expect(ctx).toEqual({ flow: 'sales-outbound', settings: config.flows['sales-outbound'], mappings: config.mappings, now: NOW });
  });

  it('flowContext names the missing section when the flow has no settings', () => {
    const empty = parseSyncConfig('', 'x');
    expect(() => flowContext('sales-outbound', empty, NOW)).toThrow(ConfigError);
    expect(() => flowContext('sales-outbound', empty, NOW)).toThrow(/add a flows\.sales-outbound section/);
    expect(() => flowContext('nope', empty, NOW)).toThrow(/unknown flow "nope"/);
  });
});
