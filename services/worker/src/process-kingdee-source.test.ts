import { PermanentError } from '@sync/errors';
import { materialFlow, type JstUploadItem, parseSyncConfig } from '@sync/flows';
import type { Ledger, LedgerEntry } from '@sync/queue';
import type { ItemUploadOutcome } from './jst-upload';
import { kingdeeDateKey, processKingdeeSourceJob, type KingdeeSourceProcessDeps } from './process-kingdee-source';
import { createUploadBatcher } from './upload-batcher';

function memoryLedger(): Ledger & { entries: Map<string, LedgerEntry> } {
  const entries = new Map<string, LedgerEntry>();
  return {
    entries,
    get: async (_flow, key) => entries.get(key),
    record: async (_flow, e) => void entries.set(e.billNo ?? e.docId, e),
    getMany: async (_flow, keys) => keys.map((k) => entries.get(k)),
    recordMany: async (_flow, es) => es.forEach((e) => entries.set(e.billNo ?? e.docId, e)),
    entriesOf: async (_flow, docId) => [...entries].filter(([, e]) => e.docId === docId).map(([key, entry]) => ({ key, entry })),
    list: async () => ({ entries: [...entries.values()], cursor: '0' }),
    count: async () => entries.size,
    markSent: async () => undefined,
    sentBefore: async (_flow, billNos) => billNos.map(() => false),
    prune: async () => ({ scanned: 0, removed: 0 }),
    forget: async () => 0,
  };
}

const config = parseSyncConfig(
  'flows: { material: {} }\nmappings: { skus: { map: { TEE-R: { material: TEE, auxProps: { FAUXPROPID__FF100001: R } }, TEE-B: { material: TEE, auxProps: { FAUXPROPID__FF100001: B } } } } }',
  'test',
);

function material(number: string, extra: Record<string, unknown> = {}) {
  return {
    FMATERIALID: 1, FNumber: number, FName: `name ${number}`, FSpecification: '', FModifyDate: '2024-06-02T10:00:00.5',
    FDocumentStatus: 'C', FForbidStatus: 'A', 'FBaseUnitId.FNumber': 'Pcs', 'FBaseUnitId.FName': 'Pcs',
    FIsBatchManage: false, FIsKFPeriod: false, FExpPeriod: 0, FExpUnit: '', FBARCODE: '', 'FUseOrgId.FNumber': '100', FErpClsID: '1', ...extra,
  };
}

function job(doc: Record<string, unknown>) {
  return { flow: 'material', docId: String(doc.FNumber), version: String(doc.FModifyDate), doc, enqueuedAt: '2024-06-02T02:00:00.000Z', origin: 'poll' };
}

function setup(reject: Record<string, string> = {}) {
  const sent: JstUploadItem[][] = [];
  const ledger = memoryLedger();
  const batcher = createUploadBatcher<JstUploadItem, ItemUploadOutcome>({
    maxItems: 50,
    waitMs: 0,
    send: async (items) => {
      sent.push(items);
      return items.map((i) => (reject[i.sku_id] ? { ok: false, skuId: i.sku_id, message: reject[i.sku_id] } : { ok: true, skuId: i.sku_id }));
    },
  });
  const deps: KingdeeSourceProcessDeps = { flow: materialFlow, settings: config.flows.material!, config, ledger, batcher, now: () => new Date('2024-06-02T02:00:01Z') };
  return { deps, sent, ledger };
}

describe('processKingdeeSourceJob (material)', () => {
  it('uploads every SKU of the material and records each in the ledger with the modify date', async () => {
    const { deps, sent, ledger } = setup();
    await expect(processKingdeeSourceJob(deps, job(material('TEE')), 'j1')).resolves.toEqual({ uploaded: ['TEE-B', 'TEE-R'] });
    expect(sent.flat().map((i) => i.sku_id)).toEqual(['TEE-B', 'TEE-R']);
    expect(ledger.entries.get('TEE-R')).toMatchObject({ docId: 'TEE', status: 'saved', version: '2024-06-02T10:00:00.5', jobId: 'j1', formId: 'JST:itemsku' });
  });

  it('an item JST refuses is a JST_REJECTED PermanentError naming the material, the SKU and the message; the rest is recorded', async () => {
    const { deps, ledger } = setup({ 'TEE-R': '商品编码[TEE-R]为组合装商品,不允许修改' });
    const err = await processKingdeeSourceJob(deps, job(material('TEE')), 'j1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('JST_REJECTED');
    expect((err as PermanentError).message).toContain('TEE: JST rejected sku_id=TEE-R: 商品编码[TEE-R]为组合装商品');
    expect((err as PermanentError).message).toContain('uploaded: TEE-B');
    expect(ledger.entries.has('TEE-B')).toBe(true);
    expect(ledger.entries.has('TEE-R')).toBe(false);
  });

  it('skips (and records) a record that is not ready; never uploads it', async () => {
    const { deps, sent, ledger } = setup();
    const res = await processKingdeeSourceJob(deps, job(material('OLD', { FForbidStatus: 'B' })), 'j1');
    expect(res).toEqual({ skipped: expect.stringContaining('OLD') });
    expect(sent).toEqual([]);
    expect(ledger.entries.get('OLD')).toMatchObject({ status: 'skipped' });
  });

  it('an older version than the one uploaded is skipped as stale', async () => {
    const { deps, sent } = setup();
    await processKingdeeSourceJob(deps, job(material('M1', { FModifyDate: '2024-06-03T00:00:00' })), 'new');
    const res = await processKingdeeSourceJob(deps, job(material('M1', { FModifyDate: '2024-06-02T23:59:59.99' })), 'old');
    expect(res).toEqual({ skipped: expect.stringContaining('newer version') });
    expect(sent).toHaveLength(1);
  });

  it('an invalid record or payload is INVALID_SOURCE_DOCUMENT', async () => {
    const { deps } = setup();
    await expect(processKingdeeSourceJob(deps, job(material('X', { FModifyDate: 'yesterday' })), 'j')).rejects.toMatchObject({ code: 'INVALID_SOURCE_DOCUMENT' });
    await expect(processKingdeeSourceJob(deps, { flow: 'material' }, 'j')).rejects.toMatchObject({ code: 'INVALID_SOURCE_DOCUMENT' });
    await expect(processKingdeeSourceJob(deps, job(material('X', { FName: '' })), 'j')).rejects.toMatchObject({ code: 'INVALID_SOURCE_DOCUMENT', message: expect.stringContaining('FName') });
  });

  it.each([
    ['2024-06-02T10:11:12.5', '2024-06-02 10:11:12.500'],
    ['2024-06-02 10:11', '2024-06-02T10:11:00'],
  ])('kingdeeDateKey(%s) = kingdeeDateKey(%s)', (a, b) => {
    expect(kingdeeDateKey(a)).toBe(kingdeeDateKey(b));
  });
});
