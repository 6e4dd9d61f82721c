/**
 * End to end, going live at a cutover: both simulators over real HTTP, real Redis, and the poller, worker and API
 * services, on a first start (no cursor). JST holds three days of history (keyed into Kingdee by hand) and the
 * day across the cutover; documents of both sides change while the poller pages (old ones edited, waiting ones
 * shipped). One row-version flow (sales outbound, by ts) and one window flow (purchase return, by modified time).
 * Kingdee must hold exactly the ready documents dated on or after the cutover; the skipped ones are counted in
 * GET /flows; a resync honours the cutover unless it says `ignoreCutover` (audited).
 */
import { formatBeijing, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { demoConfig, fast, startSystem, type System } from '../support/system';
import type { SyncConfig } from '@sync/flows';

const HOUR = 3_600_000;
const SO = 'sales-outbound';
const PR = 'purchase-return';
const PR_KIND = 'purchase-out';

interface Doc { io_id: number; status: string; io_date?: string | null; modified: string }

describe('first start at a cutover, end to end', () => {
  const prefix = uniquePrefix('e2e-cutover');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;
  let config: SyncConfig;
  let cutover = '';
  let lookbackStart = '';
  let changes = 0;

  beforeAll(async () => {
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    const now = jstSim.now();
    cutover = formatBeijing(now - 12 * HOUR);
    // History, keyed by hand before go-live, then the last day across the cutover (ts follows modified).
    jstSim.seed({ count: 150, seed: 71, unmappedRate: 0, modifiedFrom: formatBeijing(now - 72 * HOUR), modifiedTo: formatBeijing(now - 24 * HOUR) });
    jstSim.seed({ count: 250, seed: 72, unmappedRate: 0, modifiedFrom: formatBeijing(now - 24 * HOUR), modifiedTo: formatBeijing(now - 120_000) });
    jstSim.seedKind(PR_KIND, { count: 120, seed: 73, unmappedRate: 0, modifiedFrom: formatBeijing(now - 24 * HOUR), modifiedTo: formatBeijing(now - 120_000) });
    const file = demoConfig();
    config = { ...file, cutover, flows: { [SO]: fast(file.flows[SO]!), [PR]: fast(file.flows[PR]!) } };
    // Both flows first read from the cutover minus their look-back (the demo's schedule.lookbackSeconds).
    expect(config.flows[SO]!.schedule.lookbackSeconds).toBe(config.flows[PR]!.schedule.lookbackSeconds);
    lookbackStart = formatBeijing(now - 12 * HOUR - config.flows[SO]!.schedule.lookbackSeconds * 1000);
    pipeline = await startSystem({ prefix, simulators: sims, config, faults: { jst: {
      // Small pages, so the first scans take several; between pages documents on both sides of the cutover change.
      biz: (b) => ({ ...b, page_size: 20 }),
      afterPage: () => {
        if (changes >= 60) return;
        const shippedOld = (jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as Doc[]).filter((d) => (d.io_date ?? '') < cutover);
        if (shippedOld[changes]) jstSim.mutate('orders-out', shippedOld[changes]!.io_id, { patch: { remark: `edited after go-live ${changes}` } });
        changes += 1 + jstSim.mutateRandomly(2, `cutover-${changes}`, { confirmRate: 0.8 }).length;
        const waiting = jstSim.store.ids(PR_KIND, { status: 'WaitConfirm' })[0];
        if (waiting) jstSim.mutate(PR_KIND, waiting, { status: 'Confirmed' });
        const effective = jstSim.store.ids(PR_KIND, { status: 'Confirmed' });
        if (effective.length) jstSim.mutate(PR_KIND, effective[changes % effective.length]!, { patch: { remark: `edited ${changes}` } });
      },
    } } });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const docs = (kind: string) => jstSim.store.list(kind, {}) as unknown as Doc[];
  /** The business date the flows declare: io_date, else modified. Beijing strings compare as text. */
  const businessDate = (d: Doc) => (d.io_date && d.io_date >= '1901' ? d.io_date : d.modified);
  const expected = (kind: string, billPrefix: string) =>
    docs(kind).filter((d) => d.status === 'Confirmed' && businessDate(d) >= cutover).map((d) => `${billPrefix}${d.io_id}`).sort();
  /** Ready documents dated before the cutover that the first start reads (modified since the cutover minus the look-back). */
  const skippedOnRead = (kind: string) =>
    docs(kind).filter((d) => d.status === 'Confirmed' && businessDate(d) < cutover && d.modified >= lookbackStart).length;
  const bills = (form: string) => kdSim.documents(form).map((b) => b.billNo).sort();
  const flowStatus = async (flow: string) => {
    const res = await fetch(`${pipeline.apiUrl}/flows`, { headers: pipeline.authed });
    const body = (await res.json()) as { flows: { name: string; cutover: string | null; beforeCutover: number; cursor: string | null; lastError: string | null }[] };
    return body.flows.find((f) => f.name === flow)!;
  };

  it('writes exactly the ready documents dated on or after the cutover, and counts the skipped ones', async () => {
    const soPrefix = config.flows[SO]!.billNoPrefix;
    const prPrefix = config.flows[PR]!.billNoPrefix;
    await until('the documents dated after the cutover to be written', async () => {
      if (changes < 60) return false;
      const done = JSON.stringify(bills('SAL_OUTSTOCK')) === JSON.stringify(expected('orders-out', soPrefix))
        && JSON.stringify(bills('PUR_MRB')) === JSON.stringify(expected(PR_KIND, prPrefix));
      return done && (await pipeline.idle(SO)) && (await pipeline.idle(PR));
    }, 150000);

    // Both sides of the cutover were there and changed: history re-read after go-live, documents shipped since.
    const history = docs('orders-out').filter((d) => d.status === 'Confirmed' && businessDate(d) < cutover);
    expect(history.filter((d) => d.modified >= cutover).length).toBeGreaterThan(10);
    expect(expected('orders-out', soPrefix).length).toBeGreaterThan(50);
    expect(expected(PR_KIND, prPrefix).length).toBeGreaterThan(20);
    expect(docs(PR_KIND).filter((d) => d.status === 'Confirmed' && businessDate(d) < cutover && d.modified >= cutover).length).toBeGreaterThan(0);

    expect(bills('SAL_OUTSTOCK')).toEqual(expected('orders-out', soPrefix));
    expect(bills('PUR_MRB')).toEqual(expected(PR_KIND, prPrefix));
    expect(await pipeline.deadLetters(SO)).toEqual([]);
    expect(await pipeline.deadLetters(PR)).toEqual([]);

    const so = await flowStatus(SO);
    expect(so).toMatchObject({ cutover, beforeCutover: skippedOnRead('orders-out'), lastError: null });
    expect(so.cursor).toMatch(/^\d+$/); // the first start_ts was found, then it read by ts
    expect(so.beforeCutover).toBeGreaterThan(10);
    expect(await flowStatus(PR)).toMatchObject({ cutover, beforeCutover: skippedOnRead(PR_KIND), lastError: null });
  });

  it('a second poll writes nothing new', async () => {
    const before = bills('SAL_OUTSTOCK').length + bills('PUR_MRB').length;
    await pipeline.pollOnce(SO);
    await pipeline.pollOnce(PR);
    await until('the queues to drain', async () => (await pipeline.idle(SO)) && (await pipeline.idle(PR)), 30000);
    expect(bills('SAL_OUTSTOCK').length + bills('PUR_MRB').length).toBe(before);
  });

  async function resync(body: Record<string, unknown>): Promise<{ state: string; result: { counts: Record<string, number> } }> {
    const res = await fetch(`${pipeline.apiUrl}/resync`, { method: 'POST', headers: { ...pipeline.authed, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    let status: { state: string; result: { counts: Record<string, number> } } | undefined;
    await until(`resync ${id} to finish`, async () => {
      status = (await (await fetch(`${pipeline.apiUrl}/resync/${id}`, { headers: pipeline.authed })).json()) as typeof status;
      return status!.state === 'completed' || status!.state === 'failed';
    }, 60000);
    return status!;
  }

  it('a resync of the history honours the cutover: nothing dated before it is written', async () => {
    const before = bills('SAL_OUTSTOCK');
    const now = jstSim.now();
    const done = await resync({ flow: SO, from: formatBeijing(now - 80 * HOUR), to: cutover });
    expect(done.state).toBe('completed');
    expect(done.result.counts.beforeCutover).toBeGreaterThan(50);
    expect(done.result.counts.enqueued).toBe(0);
    await until('the queue to drain', () => pipeline.idle(SO), 30000);
    expect(bills('SAL_OUTSTOCK')).toEqual(before);
  });

  it('a resync with ignoreCutover writes history on purpose, and the audit log says so', async () => {
    const soPrefix = config.flows[SO]!.billNoPrefix;
    const old = docs('orders-out').filter((d) => d.status === 'Confirmed' && businessDate(d) < cutover).slice(0, 3).map((d) => String(d.io_id));
    expect(old).toHaveLength(3);
    const done = await resync({ flow: SO, docIds: old, ignoreCutover: true });
    expect(done.state).toBe('completed');
    expect(done.result.counts.enqueued).toBe(3);
    await until('the three old documents to be written', async () => old.every((id) => bills('SAL_OUTSTOCK').includes(`${soPrefix}${id}`)), 60000);
    expect(bills('SAL_OUTSTOCK')).toEqual([...expected('orders-out', soPrefix), ...old.map((id) => `${soPrefix}${id}`)].sort());
    const audit = (await (await fetch(`${pipeline.apiUrl}/audit?action=resync`, { headers: pipeline.authed })).json()) as { entries: { details?: Record<string, unknown> }[] };
    expect(audit.entries.some((e) => e.details?.ignoreCutover === true && JSON.stringify(e.details.docIds) === JSON.stringify(old))).toBe(true);
  });
});
