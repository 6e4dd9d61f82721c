import { randomUUID } from 'node:crypto';
import { enabledFlows, flowSource, settingsFor, type AnyDocumentFlow, type SyncConfig } from '@sync/flows';
import {
  createLedger, createReconciliationStore, newReconciliationRecord,
  type LastReconciliation, type ReconcileJob, type ReconciliationRecord,
} from '@sync/queue';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ApiOps } from './ops';

const DAY_MS = 24 * 3600 * 1000;
/** Ids per resync job (the resync body's limit). */
const RESYNC_IDS = 1000;

/** A difference left to a person by a repair, with where it is. */
export const personTaskSchema = z.object({ flow: z.string(), day: z.string(), docId: z.string(), kind: z.string(), detail: z.string() });

export const repairOutcomeSchema = z.object({
  id: z.string(),
  resyncs: z.array(z.object({ flow: z.string(), docIds: z.array(z.string()), resyncId: z.string() })),
  forPeople: z.array(personTaskSchema),
});
export type RepairOutcome = z.infer<typeof repairOutcomeSchema>;

/** What the reconciliation routes and the page need. */
export interface ReconciliationOps {
  /** The enabled JST → Kingdee document flows (what "all" means). */
  documentFlows(): readonly string[];
  /** Flow name → its Chinese title (销售出库单 ...). */
  titles(): Readonly<Record<string, string>>;
  /** Stores a waiting record and enqueues its run (the poller runs it). */
  start(req: { flows: string[]; from: string; to: string }, by: string): Promise<ReconciliationRecord>;
  get(id: string): Promise<ReconciliationRecord | undefined>;
  list(limit: number): Promise<ReconciliationRecord[]>;
  /**
   * Resyncs the documents a finished run found missing or different through the normal queues (their ledger
   * entries are forgotten first, so the writer looks each bill up and saves it when it is gone) and lists what is
   * left to a person. 'not-found' / 'not-done' when there is nothing to repair from.
   */
  repair(id: string, by: string): Promise<RepairOutcome | 'not-found' | 'not-done'>;
  lastPerFlow(): Promise<Record<string, LastReconciliation>>;
}

export interface ReconciliationOpsDeps {
  redis: Redis;
  prefix: string;
  config: SyncConfig;
  flows: Record<string, AnyDocumentFlow>;
  /** The reconcile queue (RECONCILE_QUEUE). */
  queue: Queue;
  ops: Pick<ApiOps, 'startResync'>;
  now?: () => Date;
}

const beijingMinute = (ms: number): string => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');

export function createReconciliationOps(deps: ReconciliationOpsDeps): ReconciliationOps {
  const now = deps.now ?? (() => new Date());
  const rec = deps.config.reconciliation;
  const store = createReconciliationStore(deps.redis, deps.prefix, { keepDays: rec.keepDays, maxRuns: rec.maxRuns });
  const ledger = createLedger(deps.redis, deps.prefix);
  const documentFlows = enabledFlows(deps.config).filter((f) => deps.flows[f] !== undefined);
  const titles = Object.fromEntries(Object.entries(deps.flows).map(([name, flow]) => [name, flow.title]));

  return {
    documentFlows: () => documentFlows,
    titles: () => titles,
    async start(req, by) {
      const record = newReconciliationRecord({ trigger: 'api', by, flows: req.flows, from: req.from, to: req.to, now: now(), random: randomUUID() });
      await store.create(record);
      const job: ReconcileJob = { id: record.id };
      await deps.queue.add('reconcile', job, { jobId: record.id });
      return record;
    },
    get: (id) => store.get(id),
    list: (limit) => store.list(limit),
    lastPerFlow: () => store.lastPerFlow(),
    async repair(id, by) {
      const record = await store.get(id);
      if (!record) return 'not-found';
      if (record.state !== 'done') return 'not-done';
      const attempt = `${record.id}-r${record.repairs.length + 1}`;
      const toResync = new Map<string, { docIds: Set<string>; billNos: Set<string>; days: Set<string> }>();
      const forPeople: RepairOutcome['forPeople'] = [];
      for (const day of record.days) {
        for (const doc of day.documents) {
          if (doc.action === 'person') forPeople.push({ flow: day.flow, day: day.day, docId: doc.docId, kind: doc.kind, detail: doc.detail });
          if (doc.action !== 'resync') continue;
          const entry = toResync.get(day.flow) ?? { docIds: new Set<string>(), billNos: new Set<string>(), days: new Set<string>() };
          entry.docIds.add(doc.docId);
          entry.days.add(day.day);
          for (const b of doc.bills) entry.billNos.add(b.billNo);
          toResync.set(day.flow, entry);
        }
      }
      const resyncs: RepairOutcome['resyncs'] = [];
      for (const [flow, want] of toResync) {
        await ledger.forget(flow, [...want.billNos]);
        const { idFilter } = flowSource(deps.flows[flow], settingsFor(deps.config, flow));
        const ids = [...want.docIds];
        let n = 0;
        if (idFilter) {
          for (let i = 0; i < ids.length; i += RESYNC_IDS) {
            const docIds = ids.slice(i, i + RESYNC_IDS);
            const { id: resyncId } = await deps.ops.startResync({ flow, docIds }, { repair: `${attempt}-${++n}` });
            resyncs.push({ flow, docIds, resyncId });
          }
        } else {
          // No id filter on this endpoint: the days' documents are read again by modified time, as the run read them.
          for (const day of want.days) {
            const from = Date.parse(`${day}T00:00:00+08:00`);
            const to = Math.min(from + (1 + rec.lookaheadDays) * DAY_MS, now().getTime());
            const { id: resyncId } = await deps.ops.startResync({ flow, from: beijingMinute(from), to: beijingMinute(to) }, { repair: `${attempt}-${++n}` });
            resyncs.push({ flow, docIds: ids, resyncId });
          }
        }
      }
      record.repairs.push({ at: now().toISOString(), by, resyncs, forPeople: forPeople.length });
      await store.save(record);
      return { id: record.id, resyncs, forPeople };
    },
  };
}
