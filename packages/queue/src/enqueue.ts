import { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { documentJobId, type DocumentJob } from './catalog';

/** One source document to enqueue: its id, its version (ts or modified time) and the raw document. */
export interface DocumentToEnqueue {
  docId: string;
  version: string;
  doc: unknown;
}

export interface EnqueueCounts {
  /** Jobs that did not exist before. */
  enqueued: number;
  /** Documents whose (flow, docId, version) job already existed (a re-read): ignored by BullMQ. */
  duplicates: number;
}

async function existingIds(queue: Queue<DocumentJob>, ids: string[]): Promise<Set<string>> {
  const conn = queue.opts.connection;
  const found = new Set<string>();
  if (conn instanceof Redis) {
    const pipe = conn.pipeline();
    for (const id of ids) pipe.exists(queue.toKey(id));
    const res = (await pipe.exec()) ?? [];
    res.forEach(([err, n], i) => {
      if (!err && n === 1) found.add(ids[i]);
    });
    return found;
  }
  const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
  states.forEach((s, i) => {
    if (s !== 'unknown') found.add(ids[i]);
  });
  return found;
}

/**
 * Adds one job per document with the deterministic id `documentJobId(flow, docId, version)` in one addBulk:
 * a re-read of the same version is ignored by BullMQ, a new version is a new job. `jobIdSuffix` (a reconciliation
 * repair) makes the ids new once more, so documents already processed are written again. Idempotent; safe to call
 * again after a crash. The duplicate count is read just before the add and is informational only.
 * Throws whatever Redis throws (the caller must then not advance its cursor).
 */
export async function enqueueDocuments(
  queue: Queue<DocumentJob>,
  flow: string,
  docs: DocumentToEnqueue[],
  origin: string,
  opts: { now?: () => Date; jobIdSuffix?: string } = {},
): Promise<EnqueueCounts> {
  if (docs.length === 0) return { enqueued: 0, duplicates: 0 };
  const enqueuedAt = (opts.now ?? (() => new Date()))().toISOString();
  const unique = new Map<string, DocumentToEnqueue>();
  const suffix = opts.jobIdSuffix ? `-${opts.jobIdSuffix}` : '';
  for (const d of docs) unique.set(`${documentJobId(flow, d.docId, d.version)}${suffix}`, d);
  const ids = [...unique.keys()];
  const before = await existingIds(queue, ids);
  await queue.addBulk(
    ids.map((jobId) => {
      const d = unique.get(jobId)!;
      const data: DocumentJob = { flow, docId: d.docId, version: d.version, doc: d.doc, enqueuedAt, origin };
      return { name: d.docId, data, opts: { jobId } };
    }),
  );
  const duplicates = before.size + (docs.length - unique.size);
  return { enqueued: ids.length - before.size, duplicates };
}
