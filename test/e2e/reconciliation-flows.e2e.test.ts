/**
 * End to end, reconciliation of every document flow of the demo world (sales outbound and return, purchase in and
 * return, other in and out, transfers, stocktakes with gain and loss bills): after the sync, each flow's days
 * balance except the documents that wait in the dead letters (unmapped base data), which are listed as 未同步 for a
 * person, one for each of the flow's dead letters; nothing is extra, differs or is unaudited.
 */
import { formatBeijingTime } from '@sync/jushuitan';
import { startDemoSimulators } from '@sync/simulator';
import { uniquePrefix, until } from '@sync/testing';
import { demoConfig, startSystem, type System } from '../support/system';

interface Doc { docId: string; kind: string; action: string }
interface Day { flow: string; day: string; counts: Record<string, number>; totals: { jst: { documents: number; bills: number }; kingdee: { documents: number; bills: number } }; documents: Doc[] }
interface Run { id: string; state: string; error?: string; days: Day[] }

describe('reconciliation of every document flow', () => {
  const prefix = uniquePrefix('e2e-recon-flows');
  let pipeline: System;
  const config = demoConfig();
  const flows = Object.entries(config.flows).filter(([name, s]) => name !== 'material' && s?.enabled).map(([name]) => name);

  beforeAll(async () => {
    const sims = await startDemoSimulators({ seedDocs: 60, liveEveryMs: 0, jstRateLimit: { perSecond: 0, perMinute: 0 } });
    const { material: _material, ...documentFlows } = config.flows;
    pipeline = await startSystem({ prefix, simulators: sims, config: { ...config, flows: documentFlows } });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('every flow balances but for its dead letters, which are for a person', async () => {
    expect(flows.length).toBeGreaterThanOrEqual(8);
    for (const flow of flows) await pipeline.pollOnce(flow);
    await until('every flow to be idle', async () => (await Promise.all(flows.map((f) => pipeline.idle(f)))).every(Boolean), 90_000);

    const today = formatBeijingTime(Date.now()).slice(0, 10);
    const yesterday = formatBeijingTime(Date.now() - 24 * 3600 * 1000).slice(0, 10);
    const res = await fetch(`${pipeline.apiUrl}/reconciliations`, { method: 'POST', headers: { ...pipeline.authed, 'content-type': 'application/json' }, body: JSON.stringify({ from: yesterday, to: today }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    let run: Run | undefined;
    await until('the reconciliation to finish', async () => {
      run = (await (await fetch(`${pipeline.apiUrl}/reconciliations/${id}`, { headers: pipeline.authed })).json()) as Run;
      return run.state === 'done' || run.state === 'failed';
    }, 90_000);
    expect(run!.error).toBeUndefined();
    expect(run!.days.map((d) => d.flow).filter((f, i, a) => a.indexOf(f) === i).sort()).toEqual([...flows].sort());

    let missingTotal = 0;
    for (const flow of flows) {
      const days = run!.days.filter((d) => d.flow === flow);
      const documents = days.reduce((n, d) => n + d.totals.jst.documents, 0);
      expect({ flow, documents: documents > 0 }).toEqual({ flow, documents: true });
      const kinds = days.flatMap((d) => d.documents.filter((x) => x.kind !== 'skipped').map((x) => `${x.kind}/${x.action}`));
      expect({ flow, kinds: [...new Set(kinds)] }).toEqual({ flow, kinds: kinds.length ? ['missing/person'] : [] });
      const missing = new Set(days.flatMap((d) => d.documents.filter((x) => x.kind === 'missing').map((x) => x.docId)));
      const dead = new Set((await pipeline.deadLetters(flow)).map((d) => d.docId));
      expect({ flow, missing: [...missing].sort() }).toEqual({ flow, missing: [...dead].sort() });
      missingTotal += missing.size;
      for (const d of days) {
        expect({ flow, day: d.day, kingdee: d.totals.kingdee.documents }).toEqual({ flow, day: d.day, kingdee: d.totals.jst.documents - d.counts.missing });
      }
    }
    expect(missingTotal).toBeGreaterThan(0); // the demo world has unmapped documents
    const stocktake = run!.days.filter((d) => d.flow === 'stocktake');
    // Stocktakes with both gains and losses: more bills than documents, on both sides alike.
    expect(stocktake.reduce((n, d) => n + d.totals.kingdee.bills, 0)).toBeGreaterThan(stocktake.reduce((n, d) => n + d.totals.kingdee.documents, 0));
  }, 240_000);
});
