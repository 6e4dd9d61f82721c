import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowRegistry, loadSyncConfig } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { buildApi } from './app';
import type { ApiOps } from './ops';
import { previewDocument } from './preview';

const fixtures = join(__dirname, '..', '..', '..', 'packages', 'flows', 'fixtures');
const config = loadSyncConfig(join(fixtures, 'test-config.yaml'));
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(fixtures, 'sales-outbound', `${name}.json`), 'utf8')) as Record<string, unknown>;
const NOW = '2024-06-01T00:00:00.000Z';
const deps = { flows: flowRegistry, config };

describe('previewDocument', () => {
  it('returns the Kingdee payload the transform would send', () => {
    const r = previewDocument(deps, 'sales-outbound', fixture('simple-one-line'), NOW);
    expect(r.outcome).toBe('write');
    expect(r.problems).toEqual([]);
    expect(r.documents).toHaveLength(1);
    expect(r.documents[0].formId).toBe('SAL_OUTSTOCK');
    expect(r.documents[0].model.FBillNo).toBe(r.documents[0].billNo);
  });

  it('names the mapping problem of an unmapped warehouse', () => {
    const r = previewDocument(deps, 'sales-outbound', fixture('unmapped-warehouse'), NOW);
    expect(r.outcome).toBe('rejected');
    expect(r.documents).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].code).toBe('UNMAPPED_BASE_DATA');
    expect(r.problems[0].message).toMatch(/warehouse/i);
  });

  it('lists schema problems of an invalid source document', () => {
    const r = previewDocument(deps, 'sales-outbound', { io_id: 'x' }, NOW);
    expect(r.outcome).toBe('rejected');
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.code === 'INVALID_SOURCE_DOCUMENT')).toBe(true);
  });
});

describe('POST /preview', () => {
  const ops = { flowNames: () => ['sales-outbound'], health: async () => ({ redis: true }) } as unknown as ApiOps;
  const env = { API_TOKEN: 'operator-token-1', API_READONLY_TOKEN: 'readonly-token-1' };

  it('previews a document for the read-only role, never writes, and refuses a docId without JST settings', async () => {
    const app = await buildApi({ env, ops, queues: [], logger: silentLogger(), preview: deps, now: () => new Date(NOW) });
    try {
      const post = (payload: object, token = 'readonly-token-1') =>
        app.inject({ method: 'POST', url: '/preview', headers: { authorization: `Bearer ${token}` }, payload });
      // POST, but a read: the read-only role may preview.
      const rejected = await post({ flow: 'sales-outbound', document: fixture('unmapped-warehouse') });
      expect(rejected.statusCode).toBe(200);
      expect(rejected.json()).toMatchObject({ outcome: 'rejected', problems: [{ code: 'UNMAPPED_BASE_DATA' }] });
      const write = await post({ flow: 'sales-outbound', document: fixture('simple-one-line') }, 'operator-token-1');
      expect(write.json()).toMatchObject({ outcome: 'write', documents: [{ formId: 'SAL_OUTSTOCK' }] });
      const byId = await post({ flow: 'sales-outbound', docId: '1001' });
      expect(byId.statusCode).toBe(400);
      expect(byId.json().field).toBe('docId');
      const both = await post({ flow: 'sales-outbound' });
      expect(both.statusCode).toBe(400);
      expect((await post({ flow: 'nope', document: {} })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/preview', payload: { flow: 'sales-outbound', document: {} } })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
