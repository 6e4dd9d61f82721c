import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentError } from '@sync/errors';
import type { z } from 'zod';
import type { TransformResult } from './types';
import { loadSyncConfig, type SyncConfig } from './sync-config';

/** What the flows' unit tests share: the checked-in fixtures and config, and the checks every transform test makes. */

export const fixturesRoot = join(__dirname, '..', 'fixtures');
/** The fixtures' config (fixtures/test-config.yaml); each test file gets its own copy (Jest loads modules per file). */
export const testConfig: SyncConfig = loadSyncConfig(join(fixturesRoot, 'test-config.yaml'));
/** The text of that config file, for tests that edit it before parsing. */
export const testConfigYaml = readFileSync(join(fixturesRoot, 'test-config.yaml'), 'utf8');
/** The clock value most transform tests run at. */
export const NOW = '2024-06-01T00:00:00.000Z';

/** A fixture document of a flow as JSON (`fixtures/<flow>/<name>.json`), before the source schema. */
export function rawFixture(flow: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixturesRoot, flow, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** A copy of `base` changed by `change`; `base` stays as it is. */
export function withConfig(base: SyncConfig, change: (c: SyncConfig) => void): SyncConfig {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

/** `base` where CK001 keeps stock by location too (one dimension FF100001, default A-00-00). */
export function withLocatedCK001(base: SyncConfig): SyncConfig {
  return { ...base, mappings: { ...base.mappings, stocks: { ...base.mappings.stocks, CK001: { locationFlex: ['FF100001'], defaultLocation: 'A-00-00' } } } };
}

/**
 * The one target document of a write, its model parsed with the form's schema. Asserts that the result is a write
 * of exactly one document of `formId` whose bill number is the model's FBillNo.
 */
export function onlyDocument<M>(result: TransformResult, formId: string, schema: z.ZodType<M>): { model: M; notes?: string[]; billNo: string } {
  if (result.kind !== 'write') throw new Error(`expected a write, got ${JSON.stringify(result)}`);
  expect(result.documents).toHaveLength(1);
  expect(result.documents[0].formId).toBe(formId);
  expect(result.documents[0].billNo).toBe(result.documents[0].model.FBillNo);
  return { model: schema.parse(result.documents[0].model), notes: result.notes, billNo: result.documents[0].billNo };
}

/** The PermanentError `fn` throws; fails the test when it throws anything else or nothing. */
export function thrown(fn: () => unknown): PermanentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PermanentError);
    return e as PermanentError;
  }
  throw new Error('expected a PermanentError, nothing was thrown');
}
