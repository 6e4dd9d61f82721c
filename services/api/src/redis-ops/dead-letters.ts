import { discardDeadLetter, listDeadLetters, readDeadLetter, retryDeadLetter } from '@sync/queue';
import type { ApiOps } from '../ops';
import type { OpsContext } from './context';
import type { DocumentOps } from './documents';

/** Dead letters through @sync/queue's dead-letters module; the detail adds the document's ledger entries. */
export function deadLetterOps(
  ctx: OpsContext,
  documents: Pick<DocumentOps, 'entriesOf'>,
): Pick<ApiOps, 'listDeadLetters' | 'retryDeadLetter' | 'retryDeadLetters' | 'getDeadLetter' | 'discardDeadLetter'> {
  const { queues, flowQueue } = ctx;
  const ops: ReturnType<typeof deadLetterOps> = {
    listDeadLetters: (filter) => {
      if (filter.flow !== undefined) flowQueue(filter.flow); // an unknown flow is an error, as everywhere in the ops
      return listDeadLetters(queues, filter);
    },
    retryDeadLetter: (flow, jobId) => retryDeadLetter(flowQueue(flow), jobId),
    async retryDeadLetters(filter) {
      const letters = await ops.listDeadLetters({ ...filter, limit: filter.limit ?? 1000 });
      const retried: string[] = [];
      for (const l of letters) {
        if ((await ops.retryDeadLetter(l.flow, l.jobId)) === 'retried') retried.push(l.jobId);
      }
      return { retried };
    },
    discardDeadLetter: (flow, jobId) => discardDeadLetter(flowQueue(flow), jobId),
    async getDeadLetter(flow, jobId) {
      const letter = await readDeadLetter(flowQueue(flow), flow, jobId);
      if (!letter) return undefined;
      const ledgerEntries = letter.docId === null ? [] : (await documents.entriesOf(flow, letter.docId)).map((e) => e.entry);
      return { ...letter, ledger: ledgerEntries[0] ?? null, ledgerEntries };
    },
  };
  return ops;
}
