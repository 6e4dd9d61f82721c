import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { getKingdeeSourceFlow, isKingdeeSourceFlowName, kingdeeSourceFlows, kingdeeSourceFlowNames } from './kingdee-source-registry';
import { flowNames } from './registry';
import { parseSyncConfig } from './sync-config';

const fixturesRoot = join(__dirname, '..', 'fixtures');
const config = parseSyncConfig('flows: { material: {} }', 'contract');

function fixtureFiles(flow: string): string[] {
  const dir = join(fixturesRoot, flow);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
}

/** Contract every Kingdee → JST flow keeps (the counterpart of the document-flow registry contract). */
describe.each(Object.keys(kingdeeSourceFlows))('Kingdee-source flow %s (registry contract)', (name) => {
  const flow = getKingdeeSourceFlow(name);

  it('is registered under its own name, reads a Kingdee form, writes a JST path and has fixtures', () => {
    expect(flow.name).toBe(name);
    expect(flow.title).not.toBe('');
    expect(flow.source.formId).not.toBe('');
    expect(flow.source.fieldKeys).toContain(flow.source.numberKey);
    expect(flow.source.fieldKeys).toContain(flow.source.modifyDateKey);
    expect(flow.target.path).toMatch(/^\/open\//);
    expect(fixtureFiles(name).length).toBeGreaterThan(0);
    expect((config.flows as Record<string, unknown>)[name]).toBeDefined();
  });

  it('parses every fixture (also after a row round trip); every upload item parses with the target schema', () => {
    let uploaded = 0;
    let skipped = 0;
    for (const file of fixtureFiles(name)) {
      const raw = JSON.parse(readFileSync(join(fixturesRoot, name, file), 'utf8')) as Record<string, unknown>;
      const parsed = flow.schema.safeParse(raw);
      if (!parsed.success) throw new Error(`${name}/${file} does not parse: ${parsed.error.message}`);
      const row = flow.source.fieldKeys.map((k) => raw[k]);
      expect(flow.schema.parse(flow.toRecord(row))).toEqual(parsed.data);
      expect(flow.docId(parsed.data)).toMatch(/^\S+$/);
      expect(flow.version(parsed.data)).toMatch(/^\S+/);
      let result;
      try {
        result = flow.transform(parsed.data, { flow: name, settings: config.flows.material!, mappings: config.mappings, now: '2024-06-10T00:00:00.000Z' });
      } catch (err) {
        expect(err).toBeInstanceOf(PermanentError);
        continue;
      }
      if (result.kind === 'skip') {
        expect(flow.isReady(parsed.data)).toBe(false);
        skipped++;
        continue;
      }
      expect(result.items.length).toBeGreaterThan(0);
      for (const item of result.items) {
        const check = flow.target.schema.safeParse(item);
        if (!check.success) throw new Error(`${name}/${file}: item fails the target schema: ${check.error.message}`);
      }
      uploaded++;
    }
    expect(uploaded).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(0);
  });
});

describe('Kingdee-source registry', () => {
  it('covers exactly the Kingdee-source config keys, disjoint from the document flows', () => {
    expect(Object.keys(kingdeeSourceFlows).sort()).toEqual([...kingdeeSourceFlowNames].sort());
    for (const name of kingdeeSourceFlowNames) expect(flowNames as string[]).not.toContain(name);
  });

  it('getKingdeeSourceFlow throws a ConfigError for an unknown name', () => {
    expect(isKingdeeSourceFlowName('material')).toBe(true);
    expect(isKingdeeSourceFlowName('sales-outbound')).toBe(false);
    expect(() => getKingdeeSourceFlow('nope')).toThrow(ConfigError);
  });
});
