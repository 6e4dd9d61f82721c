import { createLedger, type LedgerEntry } from '@sync/queue';
import type { z } from 'zod';
import type { ApiOps, lineageEntrySchema } from '../ops';
import { iso, type OpsContext } from './context';

type LineageEntry = z.infer<typeof lineageEntrySchema>;

/** Where a source document went (its ledger entries and their jobs), and the ledger's prune. */
export interface DocumentOps extends Pick<ApiOps, 'getDocument' | 'pruneLedger'> {
  /** The ledger entries of `docId`: every bill it produced (the ledger's bill index), or its skip entry. */
  entriesOf(flow: string, docId: string): Promise<{ key: string; entry: LedgerEntry }[]>;
}

export function documentOps(ctx: OpsContext): DocumentOps {
  const ledger = createLedger(ctx.redis, ctx.prefix);
  /** The FBillNo a bill of `docId` had under the flow's main prefix: found even when recorded before the ledger's bill index. */
  const legacyBillKeys = (flow: string, docId: string): string[] => {
    const billNoPrefix = ctx.flows.find((f) => f.name === flow)?.billNoPrefix;
    return billNoPrefix === undefined ? [] : [`${billNoPrefix}${docId}`];
  };
  const entriesOf = (flow: string, docId: string) => ledger.entriesOf(flow, docId, legacyBillKeys(flow, docId));

  return {
    entriesOf,
    async getDocument(flow, sourceId) {
      // Every bill the document produced (e.g. a stocktake's gain and loss bills) and its skip entry.
      const queue = ctx.flowQueue(flow);
      const entries: LineageEntry[] = [];
      for (const { key, entry } of await entriesOf(flow, sourceId)) {
        const job = await queue.getJob(entry.jobId);
        const log = job ? (await queue.getJobLogs(String(job.id), 0, 49)).logs : [];
        entries.push({
          log,
          key,
          entry,
          job: job
            ? {
                id: String(job.id),
                state: await job.getState(),
                attemptsMade: job.attemptsMade,
                failedReason: job.failedReason || null,
                finishedAt: iso(job.finishedOn),
              }
            : null,
        });
      }
      return entries.length ? { flow, sourceId, entries } : undefined;
    },
    pruneLedger: (flow, opts) => ledger.prune(flow, opts),
  };
}
