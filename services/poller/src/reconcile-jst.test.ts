import { readFileSync } from 'node:fs';
import path from 'node:path';
import { flowContext, flowRegistry, loadSyncConfig } from '@sync/flows';
import { createFakeJst } from './fake-jst.test-support';
import { resolveCutover } from './cutover';
import { readJstByIds, readJstSide } from './reconcile-jst';

const fixtures = path.resolve(__dirname, '../../../packages/flows/fixtures');
const config = loadSyncConfig(path.join(fixtures, 'test-config.yaml'));
const fixture = (flow: string, name: string) => JSON.parse(readFileSync(path.join(fixtures, flow, `${name}.json`), 'utf8')) as Record<string, unknown>;

function side(flowName: 'sales-outbound' | 'transfer', rows: Record<string, unknown>[], now: Date) {
  const jst = createFakeJst(rows as never);
  const settings = config.flows[flowName]!;
  return { jst, side: { jst, flow: flowRegistry[flowName], settings, ctx: flowContext(flowName, config, now.toISOString()), now } };
}

describe('readJstSide', () => {
  it('reads from the first day\'s start to lookahead days after the last day, in ≤ 7-day windows with the flow\'s filters, never past now', async () => {
    const row = fixture('transfer', 'two-batches');
    const { jst, side: s } = side('transfer', [{ ...row, io_id: 1, modified: '2026-11-27 12:00:00' }], new Date('2026-12-20T00:00:00Z'));
    const facts = await readJstSide(s, '2026-11-27', '2026-11-28', 10);
    expect(jst.calls.map((c) => c.arg)).toEqual([
      { window: { begin: '2026-11-27 00:00:00', end: '2026-12-04 00:00:00' }, filters: { type: '调拨入' } },
      { window: { begin: '2026-12-04 00:00:00', end: '2026-12-09 00:00:00' }, filters: { type: '调拨入' } },
    ]);
    expect(facts.map((f) => f.docId)).toEqual(['1']);

    const early = side('transfer', [], new Date('2026-11-28T04:00:00Z')); // 12:00 Beijing
    await readJstSide(early.side, '2026-11-27', '2026-11-28', 7);
    expect(early.jst.calls.map((c) => (c.arg as { window: unknown }).window)).toEqual([{ begin: '2026-11-27 00:00:00', end: '2026-11-28 12:00:00' }]);
    const future = side('transfer', [], new Date('2026-11-26T04:00:00Z'));
    expect(await readJstSide(future.side, '2026-11-27', '2026-11-27', 7)).toEqual([]);
    expect(future.jst.calls).toEqual([]);
  });

  it('keeps the latest version of a document read twice, and its expected bills from the transform', async () => {
    const row = fixture('sales-outbound', 'simple-one-line');
    const { side: s } = side('sales-outbound', [
      { ...row, io_id: 7, ts: 5, modified: '2026-11-27 10:00:00', status: 'Confirmed' },
      { ...row, io_id: 7, ts: 9, modified: '2026-11-27 11:00:00', status: 'Cancelled' },
    ], new Date('2026-11-28T04:00:00Z'));
    const [facts] = await readJstSide(s, '2026-11-27', '2026-11-27', 7);
    expect(facts).toEqual(expect.objectContaining({ docId: '7', version: '9', status: 'Cancelled', ready: false }));
    expect(facts.expected.kind).toBe('write');
  });
});

describe('readJstSide and the cutover', () => {
  it('marks the documents dated before the flow\'s cutover, as the poller skips them', async () => {
    const row = fixture('sales-outbound', 'simple-one-line');
    const { side: s } = side('sales-outbound', [
      { ...row, io_id: 1, ts: 5, io_date: '2026-11-27 10:00:00', modified: '2026-11-27 10:00:05', status: 'Confirmed' },
      { ...row, io_id: 2, ts: 6, io_date: '2026-11-27 14:00:00', modified: '2026-11-27 14:00:05', status: 'Confirmed' },
    ], new Date('2026-11-28T04:00:00Z'));
    const cutover = resolveCutover({ cutover: '2026-11-27 12:00:00' }, 'sales-outbound', config.flows['sales-outbound']!, 'io_date')!;
    const facts = await readJstSide({ ...s, cutover }, '2026-11-27', '2026-11-27', 7);
    expect(facts.map((f) => [f.docId, f.beforeCutover])).toEqual([['1', 'io_date 2026-11-27 10:00:00 < 2026-11-27 12:00:00 (cutover)'], ['2', undefined]]);
  });
});

describe('readJstByIds', () => {
  it('reads given documents through the id filter, and nothing where the endpoint has none', async () => {
    const row = fixture('sales-outbound', 'simple-one-line');
    const { jst, side: s } = side('sales-outbound', [{ ...row, io_id: 3, status: 'Cancelled' }], new Date('2026-11-28T04:00:00Z'));
    const facts = await readJstByIds(s, ['3', '4']);
    expect(facts.map((f) => [f.docId, f.ready])).toEqual([['3', false]]);
    expect(jst.calls[0].arg).toEqual(expect.objectContaining({ io_ids: ['3', '4'] }));
    const stocktake = { ...s, flow: flowRegistry.stocktake, settings: config.flows.stocktake! };
    expect(await readJstByIds(stocktake, ['3'])).toEqual([]);
  });
});
