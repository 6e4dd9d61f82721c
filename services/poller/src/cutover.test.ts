import { beforeCutover, resolveCutover } from './cutover';
import { flowNamed } from './fake-jst.test-support';
import { prepareRows } from './jst-prepare-rows';
import { syncConfigSchema } from '@sync/flows';

const settings = (over: Record<string, unknown> = {}) => syncConfigSchema.parse({ flows: { 'sales-outbound': over } }).flows['sales-outbound']!;

describe('resolveCutover / beforeCutover (pure)', () => {
  it('takes the flow own cutover over the top-level one, names the key, and refuses a bad value', () => {
    expect(resolveCutover({ cutover: '2026-12-01 00:00:00' }, 'f', settings(), 'io_date')).toMatchObject({ text: '2026-12-01 00:00:00', key: 'cutover', by: 'business-date', field: 'io_date' });
    expect(resolveCutover({ cutover: '2026-12-01' }, 'f', settings({ cutover: '2026-11-30T16:30:00Z' }), 'io_date')).toMatchObject({ text: '2026-12-01 00:30:00', key: 'flows.f.cutover' });
    expect(resolveCutover({}, 'f', settings(), 'io_date')).toBeUndefined();
    expect(() => resolveCutover({ cutover: '2026-02-30 00:00:00' }, 'f', settings(), 'io_date')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('cutover is not a date-time') }));
  });

  it('compares the business date (else modified), or modified with cutoverBy: modified; the cutover instant itself is on or after', () => {
    const c = resolveCutover({ cutover: '2026-12-01 00:00:00' }, 'f', settings(), 'io_date')!;
    const row = { io_date: '2026-11-30 23:59:59', modified: '2026-12-01 08:00:00' };
    expect(beforeCutover(row, c)).toEqual({ field: 'io_date', at: '2026-11-30 23:59:59' });
    expect(beforeCutover({ io_date: '2026-12-01 00:00:00', modified: '2026-12-01 08:00:00' }, c)).toBeUndefined();
    expect(beforeCutover({ io_date: '', modified: '2026-11-30 08:00:00' }, c)).toEqual({ field: 'modified', at: '2026-11-30 08:00:00' });
    expect(beforeCutover({ io_date: 'soon' }, c)).toBeUndefined();
    const byModified = resolveCutover({ cutover: '2026-12-01 00:00:00' }, 'f', settings({ cutoverBy: 'modified' }), 'io_date')!;
    expect(beforeCutover(row, byModified)).toBeUndefined();
  });

  it('prepareRows skips ready and malformed rows dated before the cutover, keeps reversals for the ledger check', () => {
    const c = resolveCutover({ cutover: '2026-12-01 00:00:00' }, 'f', settings(), 'io_date')!;
    const out = prepareRows(flowNamed('f', { kind: 'ts' }), [
      { io_id: 1, ts: 1, modified: '2026-12-01 09:00:00', io_date: '2026-11-30 22:00:00', status: 'Confirmed' },
      { io_id: 2, ts: 2, modified: '2026-12-01 09:00:00', io_date: '2026-12-01 08:00:00', status: 'Confirmed' },
      { io_id: 3, ts: 'x', modified: '2026-11-29 09:00:00', status: 'Confirmed' },
      { io_id: 4, ts: 4, modified: '2026-12-01 09:00:00', io_date: '2026-11-30 22:00:00', status: 'Cancelled' },
      { io_id: 5, ts: 5, modified: '2026-12-01 09:00:00', io_date: '2026-11-30 22:00:00', status: 'WaitConfirm' },
    ], c);
    expect(out.docs.map((d) => d.docId)).toEqual(['2']);
    expect(out.beforeCutover).toEqual([
      { docId: '1', field: 'io_date', at: '2026-11-30 22:00:00' },
      { docId: '3', field: 'modified', at: '2026-11-29 09:00:00' },
    ]);
    expect(out.reversals.map((d) => d.docId)).toEqual(['4']);
    expect(out).toMatchObject({ seen: 5, ready: 1, invalid: 0 });
  });
});
