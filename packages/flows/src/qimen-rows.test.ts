import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { qimenSource } from './flow-source';
import { flowContext } from './registry';
import { salesOutboundFlow } from './sales-outbound.flow';
import { salesReturnFlow, type SalesReturnSettings } from './sales-return.flow';
import type { FlowContext } from './types';
import { loadSyncConfig, type SyncConfig } from './sync-config';

/**
 * A Qimen row and an open-API row of the same JST document must become the same Kingdee bill: same document id,
 * same FBillNo, same Save model. The Qimen fixtures are the open-API fixtures as Qimen models them (money as
 * strings, Qimen-only fields, no ts on the saleout row) and stamped `_transport: qimen` as the poller does.
 */
const fixtures = join(__dirname, '..', 'fixtures');
const config = loadSyncConfig(join(fixtures, 'test-config.yaml'));
const NOW = '2024-06-01T00:00:00.000Z';
const raw = (dir: string, name: string): Record<string, unknown> => JSON.parse(readFileSync(join(fixtures, dir, `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('the same document through Qimen and through the open API', () => {
  it('sales outbound: same id and the same SAL_OUTSTOCK bill, versioned by modified when Qimen gives no ts', () => {
    const open = salesOutboundFlow.schema.parse(raw('sales-outbound', 'two-batches'));
    const viaQimen = salesOutboundFlow.schema.parse(raw('sales-outbound', 'qimen-two-batches'));
    const ctx = flowContext('sales-outbound', config, NOW);
    expect(salesOutboundFlow.docId(viaQimen)).toBe(salesOutboundFlow.docId(open));
    expect(salesOutboundFlow.transform(viaQimen, ctx)).toEqual(salesOutboundFlow.transform(open, ctx));
    expect(salesOutboundFlow.transform(open, ctx)).toMatchObject({ kind: 'write', documents: [{ billNo: `${ctx.settings.billNoPrefix}${open.io_id}` }] });
    expect(salesOutboundFlow.version(open)).toBe(open.ts);
    expect(salesOutboundFlow.version(viaQimen)).toBe(`m${String(open.modified).replace(/\D/g, '')}`);
  });

  it('sales return: a Qimen 售后单 (ts a number, r_qty received) is the bill of the open API\'s 售后单 (source: refund)', () => {
    const refundConfig: SyncConfig = { ...config, flows: { ...config.flows, 'sales-return': { ...config.flows['sales-return']!, source: 'refund' } } };
    const ctx = flowContext('sales-return', refundConfig, NOW) as FlowContext<SalesReturnSettings>;
    const open = salesReturnFlow.schema.parse(raw('sales-return', 'refund-exchange'));
    const viaQimen = salesReturnFlow.schema.parse(raw('sales-return', 'qimen-refund-exchange'));
    expect(salesReturnFlow.docId(viaQimen)).toBe(salesReturnFlow.docId(open));
    expect(salesReturnFlow.version(viaQimen)).toBe(salesReturnFlow.version(open));
    const a = salesReturnFlow.transform(open, ctx);
    expect(a).toMatchObject({ kind: 'write', documents: [{ billNo: `${ctx.settings.billNoPrefix}AS${open.source === 'refund' ? open.as_id : ''}` }] });
    expect(salesReturnFlow.transform(viaQimen, ctx)).toEqual(a);
  });

  it('a row without ts is refused unless Qimen delivered it, naming ts', () => {
    const { _transport: _t, ...unstamped } = raw('sales-outbound', 'qimen-two-batches');
    const r = salesOutboundFlow.schema.safeParse(unstamped);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['ts']);
    const refund = { ...raw('sales-return', 'refund-exchange') };
    delete refund.ts;
    expect(salesReturnFlow.schema.safeParse(refund).success).toBe(false);
    expect(salesReturnFlow.schema.safeParse({ ...refund, _transport: 'qimen' }).success).toBe(true);
  });

  it('reads the Qimen method: windows with the flow\'s filters by default, start_ts when configured', () => {
    expect(qimenSource(salesOutboundFlow, { cursor: 'window' })).toEqual({ path: 'jushuitan.saleout.list.query', cursor: { kind: 'window', filters: { date_type: 0 } }, businessDate: 'io_date', idField: 'io_id' });
    expect(qimenSource(salesReturnFlow, { cursor: 'ts' })).toEqual({ path: 'jushuitan.refund.list.query', cursor: { kind: 'ts' }, businessDate: 'confirm_date', idField: 'as_id' });
    expect(qimenSource(salesReturnFlow, { cursor: 'window' })?.cursor).toEqual({ kind: 'window', filters: { date_type: 0, status: 'Confirmed', good_status: 'SELLER_RECEIVED' } });
  });
});
