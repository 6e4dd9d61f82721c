/**
 * End to end, every JST → Kingdee document flow against a Kingdee account whose coding rules replace every
 * FBillNo sent (bill types without manual numbering; kingdee-api.md §7): both simulators over real HTTP, real
 * Redis, the poller, worker and API services. Asserts that every document lands exactly once with Kingdee's own
 * number recorded in the ledger, and that after the ledger is lost (the state a worker killed between a Save and
 * its ledger write leaves) a full resync finds every bill again by its key instead of writing a second one.
 */
import { flowRegistry, type SyncConfig } from '@sync/flows';
import { keys } from '@sync/queue';
import { formatBeijing, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { demoConfig, fast, startSystem, type System } from '../support/system';

const FLOWS = ['sales-outbound', 'sales-return', 'purchase-inbound', 'purchase-return', 'other-inbound', 'other-outbound', 'transfer', 'stocktake'] as const;
/** The forms each flow writes (the registry's target forms). */
const FORMS = Object.fromEntries(FLOWS.map((f) => [f, [flowRegistry[f].target.formId, ...(flowRegistry[f].target.otherFormIds ?? [])]])) as Record<(typeof FLOWS)[number], string[]>;

/** The key value a bill carries (the key field its flow declares for the form, in the registry). */
function keyOf(flow: (typeof FLOWS)[number], formId: string, model: Record<string, unknown>): string {
  const [section, field] = flowRegistry[flow].target.keyFields[formId].path.split('.');
  const holder = field ? (model[section] as Record<string, unknown> | undefined) : model;
  return String(holder?.[field ?? section] ?? '');
}

describe('every flow against an account that renumbers every bill', () => {
  const prefix = uniquePrefix('e2e-renumber');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;
  let config: SyncConfig;
  const allForms = FLOWS.flatMap((f) => FORMS[f]);

  beforeAll(async () => {
    const sims = await startSimulators({ jst: { rateLimit: { perSecond: 0, perMinute: 0 } } });
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    kdSim.setFaults({ numbering: allForms.map((formId) => ({ formId })) });
    const t = jstSim.now();
    const range = { modifiedFrom: formatBeijing(t - 20 * 3600 * 1000), modifiedTo: formatBeijing(t - 5 * 60 * 1000) };
    jstSim.seed({ count: 30, seed: 11, unmappedRate: 0, batchRate: 0.5 });
    for (const kind of ['aftersale-received', 'purchase-in', 'purchase-out', 'other-inout', 'allocate', 'inventory-count']) {
      jstSim.seedKind(kind, { count: 30, seed: 11, unmappedRate: 0, ...range });
    }
    const fileConfig = demoConfig();
    config = { ...fileConfig, flows: Object.fromEntries(FLOWS.map((f) => [f, fast(fileConfig.flows[f]!)])) };
    pipeline = await startSystem({ prefix, simulators: sims, config });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const settled = async (): Promise<void> => {
    let last = -1;
    await until(
      'every flow idle and Kingdee unchanged for a poll',
      async () => {
        for (const f of FLOWS) if (!(await pipeline.idle(f))) return false;
        const now = kdSim.stats().created;
        const stable = now === last;
        last = now;
        return stable;
      },
      180_000,
      1500,
    );
  };

  /** Ledger entries (written bills) of a flow, by form. */
  const ledgerOf = async (flow: string) => {
    const raw = await pipeline.redis.hvals(keys.ledger(prefix, flow));
    return raw.map((v) => JSON.parse(v) as { billNo: string | null; formId?: string; number: string | null; status: string; kingdeeId: number | null });
  };

  it('writes every document once, under Kingdee\'s own numbers, recorded in the ledger', async () => {
    await settled();
    for (const flow of FLOWS) {
      expect({ flow, deadLetters: await pipeline.deadLetters(flow) }).toEqual({ flow, deadLetters: [] });
      const written = (await ledgerOf(flow)).filter((e) => e.billNo !== null);
      expect({ flow, written: written.length > 0 }).toEqual({ flow, written: true });
      for (const formId of FORMS[flow]) {
        const bills = kdSim.documents(formId);
        const entries = written.filter((e) => e.formId === formId);
        expect({ formId, bills: bills.length }).toEqual({ formId, bills: entries.length });
        // Renumbered: no bill keeps the number we sent, and the ledger holds Kingdee's.
        expect(bills.filter((b) => entries.some((e) => e.billNo === b.billNo))).toEqual([]);
        expect(entries.map((e) => e.number).sort()).toEqual(bills.map((b) => b.billNo).sort());
        // Once each: one bill per key.
        const keysSeen = bills.map((b) => keyOf(flow, formId, b.model));
        expect({ formId, unique: new Set(keysSeen).size }).toEqual({ formId, unique: bills.length });
        expect(bills.every((b) => b.status === 'C')).toBe(true);
      }
    }
  }, 240_000);

  it('after the ledger is lost, a full resync finds every bill by its key and writes none again', async () => {
    const createdBefore = kdSim.stats().created;
    const billsBefore = Object.fromEntries(allForms.map((f) => [f, kdSim.documents(f).length]));
    for (const flow of FLOWS) {
      await pipeline.redis.del(keys.ledger(prefix, flow));
      await pipeline.queue(flow).clean(0, 100_000, 'completed'); // so the resync's jobs run again
    }
    const t = jstSim.now();
    for (const flow of FLOWS) await pipeline.pollOnce(flow, { from: formatBeijing(t - 2 * 24 * 3600 * 1000), to: formatBeijing(t + 60 * 1000) });
    await settled();
    expect(kdSim.stats().created).toBe(createdBefore);
    expect(Object.fromEntries(allForms.map((f) => [f, kdSim.documents(f).length]))).toEqual(billsBefore);
    for (const flow of FLOWS) {
      expect({ flow, deadLetters: await pipeline.deadLetters(flow) }).toEqual({ flow, deadLetters: [] });
      const entries = (await ledgerOf(flow)).filter((e) => e.billNo !== null);
      for (const formId of FORMS[flow]) {
        expect({ formId, recorded: entries.filter((e) => e.formId === formId).length }).toEqual({ formId, recorded: billsBefore[formId] });
      }
    }
  }, 240_000);
});
