import { documentFlowSettingsSchema } from '@sync/config';
import { z } from 'zod';
import type { DocumentFlow } from '@sync/flows';
import { prepareRows, unreadableDocId } from './jst-prepare-rows';

const schema = z.object({ io_id: z.number(), ts: z.number(), status: z.string() });
type Doc = z.infer<typeof schema>;
const flow: DocumentFlow<Doc> = {
  name: 'f', title: 't', settings: documentFlowSettingsSchema, source: { path: '/p', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id' }, target: { formId: 'X', schema: z.object({}), reconcile: {}, keyFields: {} }, schema,
  docId: (d) => String(d.io_id), version: (d) => String(d.ts),
  isReady: (d) => d.status === 'Confirmed',
  isReversal: (d) => d.status === 'Cancelled',
  transform: () => ({ kind: 'skip', reason: 'n/a' }),
};

describe('prepareRows', () => {
  it('sorts rows into ready, invalid (with a synthetic id when none is readable) and reversal candidates', () => {
    const noId = { ts: 5, status: 'Confirmed' };
    const out = prepareRows(flow, [
      { io_id: 1, ts: 1, status: 'Confirmed' },
      { io_id: 2, ts: 2, status: 'WaitConfirm' },
      { io_id: 3, ts: 3, status: 'Cancelled' },
      { io_id: 4, ts: 'x', status: 'Confirmed' },
      noId,
    ]);
    expect(out.docs.map((d) => `${d.docId}@${d.version}`)).toEqual(['1@1', '4@x', `${unreadableDocId(noId)}@5`]);
    expect(out.reversals.map((d) => d.docId)).toEqual(['3']);
    expect(out).toMatchObject({ seen: 5, ready: 1, invalid: 2 });
    expect(out.unreadable).toEqual([{ docId: unreadableDocId(noId), row: noId }]);
  });

  it('gives the same unreadable row the same synthetic id (one dead letter, not one per poll), never all digits', () => {
    expect(unreadableDocId({ a: 1 })).toBe(unreadableDocId({ a: 1 }));
    expect(unreadableDocId({ a: 1 })).not.toBe(unreadableDocId({ a: 2 }));
    expect(unreadableDocId(null)).toMatch(/^unreadable-[0-9a-f]{16}$/);
  });

  it('ignores reversals of a flow that declares none', () => {
    const { isReversal: _ignored, ...plain } = flow;
    expect(prepareRows(plain, [{ io_id: 3, ts: 3, status: 'Cancelled' }]).reversals).toEqual([]);
  });
});
