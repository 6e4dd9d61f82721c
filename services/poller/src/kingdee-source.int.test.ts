import { materialFlow, parseSyncConfig } from '@sync/flows';
import { createKingdeeClient, type BillQuery, type KingdeeApi } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import type { CursorStore, DocumentQueue, DocumentToEnqueue, enqueueDocuments } from '@sync/queue';
import { demoCredentials, startKingdeeSimulator, type KingdeeSimulator } from '@sync/simulator';
import { ksqlString, pageFilter, pollKingdeeSource, prepareKingdeeRows, resyncKingdeeSource, type KingdeeSourcePollContext } from './kingdee-source';

const settings = parseSyncConfig('flows: { material: { pageSize: 10, useOrg: "100" } }', 'test').flows.material!;

describe('pure parts', () => {
  it('quotes KSQL strings', () => {
    expect(ksqlString("it's")).toBe("'it''s'");
  });

  it('page filter: selection, ready filter, use org, and the keyset after the first page', () => {
    expect(pageFilter(materialFlow, settings, "FModifyDate >= '2024-01-01'")).toBe(
      "FModifyDate >= '2024-01-01' and FDocumentStatus = 'C' and FForbidStatus = 'A' and FUseOrgId.FNumber = '100'",
    );
    expect(pageFilter(materialFlow, settings, 'S', { date: '2024-06-02T10:00:00.5', id: 100234 })).toBe(
      "S and FDocumentStatus = 'C' and FForbidStatus = 'A' and FUseOrgId.FNumber = '100' and (FModifyDate > '2024-06-02T10:00:00.5' or (FModifyDate = '2024-06-02T10:00:00.5' and FMATERIALID > 100234))",
    );
  });

  it('prepares rows: ready records by number and modify date, not-ready dropped, invalid enqueued under the raw number', () => {
    const keys = materialFlow.source.fieldKeys;
    const row = (over: Record<string, unknown>) => keys.map((k) => ({ FMATERIALID: 1, FNumber: 'M1', FName: 'n', FModifyDate: '2024-06-02T10:00:00', FDocumentStatus: 'C', FForbidStatus: 'A', ...over })[k]);
    const out = prepareKingdeeRows(materialFlow, [row({}), row({ FNumber: 'M2', FForbidStatus: 'B' }), row({ FNumber: 'M3', FModifyDate: 'bad' }), row({ FNumber: null })]);
    expect(out.docs.map((d) => [d.docId, d.version])).toEqual([['M1', '2024-06-02T10:00:00'], ['M3', 'bad']]);
    expect(out).toMatchObject({ ready: 1, invalid: 1, unreadable: 1 });
  });
});

describe('polling BD_MATERIAL on the Kingdee simulator', () => {
  let sim: KingdeeSimulator;
  let client: KingdeeApi;
  let clock = Date.UTC(2024, 5, 1, 0, 0, 0);

  beforeAll(async () => {
    sim = await startKingdeeSimulator({ clock: () => clock });
    client = createKingdeeClient({
      baseUrl: sim.url, auth: 'password', acctId: demoCredentials.kingdee.acctId,
      users: [{ username: demoCredentials.kingdee.users[0].username, password: demoCredentials.kingdee.users[0].password }], timeoutMs: 10000, logger: silentLogger(),
    });
    clock += 60_000;
    // 35 materials at one instant (the keyset must page through equal dates), one forbidden, one unaudited.
    sim.addBaseData({
      materials: [
        ...Array.from({ length: 35 }, (_, i) => ({ number: `P-${String(i).padStart(3, '0')}`, name: `p${i}` })),
        { number: 'P-FORBID', name: 'f', forbidden: true },
        { number: 'P-DRAFT', name: 'd', documentStatus: 'A' as const },
      ],
    });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  function context(kingdee: KingdeeApi, cursors: Map<string, string>, enqueued: DocumentToEnqueue[]): KingdeeSourcePollContext {
    const store: CursorStore = {
      get: async (f) => cursors.get(f),
      set: async (f, v) => void cursors.set(f, v),
      reset: async (f) => void cursors.delete(f),
    };
    const seen = new Set<string>();
    const enqueue: typeof enqueueDocuments = async (_q, _flow, docs) => {
      let fresh = 0;
      for (const d of docs) {
        const id = `${d.docId}@${d.version}`;
        if (seen.has(id)) continue;
        seen.add(id);
        enqueued.push(d);
        fresh++;
      }
      return { enqueued: fresh, duplicates: docs.length - fresh };
    };
    return { kingdee, flow: materialFlow, settings, queue: {} as DocumentQueue, cursors: store, enqueue, logger: silentLogger(), now: () => new Date(clock) };
  }

  it('enqueues every ready material once although materials change between pages; the cursor then re-reads only its instant', async () => {
    const cursors = new Map<string, string>();
    const enqueued: DocumentToEnqueue[] = [];
    const queries: BillQuery[] = [];
    let changed: string | undefined;
    const spy: KingdeeApi = {
      ...client,
      executeBillQuery: async (q) => {
        queries.push(q);
        const rows = await client.executeBillQuery(q);
        if (!changed) {
          // After the first page: a material already read changes (moves to the end of the order), which
          // would shift every later row one place back under offset paging.
          changed = String(rows[0][1]);
          clock += 1000;
          sim.addBaseData({ materials: [{ number: changed, name: 'renamed' }] });
        }
        return rows;
      },
    };
    const demoReady = (sim.baseData().material ?? []).filter((m) => m.documentStatus === 'C' && m.forbidStatus === 'A' && !m.number.startsWith('P-')).length;
    const res = await pollKingdeeSource(context(spy, cursors, enqueued));
    const numbers = enqueued.map((d) => d.docId);
    expect(new Set(numbers).size).toBe(35 + demoReady);
    expect(numbers.filter((n) => n === changed)).toHaveLength(2); // the first version and the changed one
    expect(numbers).not.toContain('P-FORBID');
    expect(numbers).not.toContain('P-DRAFT');
    expect(queries.every((q) => q.Limit === 10 && q.StartRow === 0 && q.FormId === 'BD_MATERIAL')).toBe(true);
    expect(queries.length).toBeGreaterThan(3);
    expect(res.cursor).toBe(enqueued[enqueued.length - 1].version);
    expect(cursors.get('material')).toBe(res.cursor);

    const again = await pollKingdeeSource(context(client, cursors, []));
    expect(again.counts.enqueued).toBe(1); // a fresh enqueue de-duplicator: only the cursor instant is re-read
    expect(again.counts.seen).toBe(1);
  });

  it('resync by numbers or by range enqueues ready materials without touching the cursor', async () => {
    const cursors = new Map([['material', '2099-01-01 00:00:00']]);
    const enqueued: DocumentToEnqueue[] = [];
    const ctx = context(client, cursors, enqueued);
    const counts = await resyncKingdeeSource(ctx, { docIds: ['P-001', 'P-002', 'P-FORBID', "O'NEIL"] }, 'resync-1');
    expect(enqueued.map((d) => d.docId).sort()).toEqual(['P-001', 'P-002']);
    expect(counts.enqueued).toBe(2);
    const ranged = await resyncKingdeeSource(ctx, { from: '2024-06-01 00:00:00', to: '2024-06-01 08:01:00' }, 'resync-2');
    expect(ranged.seen).toBeGreaterThanOrEqual(34);
    expect(cursors.get('material')).toBe('2099-01-01 00:00:00');
  });
});
