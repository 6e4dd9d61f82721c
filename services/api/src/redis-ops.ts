import { randomUUID } from 'node:crypto';
import { beijingDay, createFlowPauseStore, createLedger, createPollStatusStore, keys, pollJobSchema, transportCursorName, transportStatusName, type PollJob } from '@sync/queue';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ApiQueues } from './api-queues';
import { parseFailedReason } from './failed-reason';
import type { FlowDescriptor } from './flow-descriptors';
import type { ApiOps, DeadLetter, DeadLetterFilter, FlowStatus, JobCounts, QueueGauges, ResyncStatus } from './ops';
import type { lineageEntrySchema } from './ops';

type LineageEntry = z.infer<typeof lineageEntrySchema>;

/** How long `health()` waits for Redis to answer PING. */
const HEALTH_TIMEOUT_MS = 1000;
/** With a `code` filter, at most this many failed jobs are read per flow looking for matches. */
const DEAD_LETTER_SCAN_LIMIT = 5000;
const DEAD_LETTER_PAGE = 200;
const DEFAULT_LIMIT = 100;

/**
 * The poll status the poller writes at keys.pollStatus, read leniently. Two layouts are accepted: a JSON string
 * `{lastSuccessAt?, lastErrorAt?, lastError?, counts?}`, or a hash whose fields are `lastSuccessAt`, `lastErrorAt`,
 * `lastError` (JSON `{code, message}` or text), `lastCounts` (JSON) — packages/queue's PollStatusStore.
 */
const pollStatusSchema = z.object({
  lastSuccessAt: z.string().optional(),
  lastErrorAt: z.string().optional(),
  lastError: z
    .union([z.string(), z.object({ code: z.string(), message: z.string() }).transform((e) => `[${e.code}] ${e.message}`)])
    .optional(),
  counts: z.record(z.string(), z.number()).optional(),
});
type PollStatus = z.infer<typeof pollStatusSchema>;

/** The fields of a document job's payload the dead-letter list shows (documentJobSchema, read leniently). */
const documentRefSchema = z.object({ docId: z.string().optional(), version: z.string().optional() });

export interface RedisOpsDeps {
  /** A connection the caller owns (and quits). */
  redis: Redis;
  /** The BullMQ prefix (QUEUE_PREFIX); the cursor, poll-status and ledger keys live under it too. */
  prefix: string;
  flows: readonly FlowDescriptor[];
  queues: ApiQueues;
  /** Clock for lag and "today"; default the system clock. */
  now?: () => Date;
}

const iso = (ms: number | undefined | null): string | null => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : null);

function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function pingWithin(redis: Redis, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const ping = redis.ping().then((r) => r === 'PONG', () => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The poll status of a flow in whichever layout it was written; `{}` when absent or unreadable. */
async function readPollStatus(redis: Redis, key: string): Promise<PollStatus> {
  const type = await redis.type(key);
  let raw: unknown;
  if (type === 'string') {
    raw = parseJson(await redis.get(key));
  } else if (type === 'hash') {
    const h = await redis.hgetall(key);
    const lastError = parseJson(h.lastError);
    raw = {
      lastSuccessAt: h.lastSuccessAt,
      lastErrorAt: h.lastErrorAt,
      lastError: lastError === undefined ? h.lastError : lastError,
      counts: parseJson(h.lastCounts ?? h.counts),
    };
  }
  const parsed = pollStatusSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

function toDeadLetter(flow: string, job: Job): DeadLetter {
  const ref = documentRefSchema.safeParse(job.data);
  const { code, message } = parseFailedReason(job.failedReason);
  return {
    flow,
    jobId: String(job.id),
    docId: ref.success ? (ref.data.docId ?? null) : null,
    version: ref.success ? (ref.data.version ?? null) : null,
    code,
    message,
    failedAt: iso(job.finishedOn),
    attemptsMade: job.attemptsMade,
  };
}

/** True when the dead letter passes the filter's code and time range. */
function matches(letter: DeadLetter, f: DeadLetterFilter): boolean {
  if (f.code !== undefined && letter.code !== f.code) return false;
  if (f.since !== undefined && (letter.failedAt === null || letter.failedAt < f.since)) return false;
  if (f.until !== undefined && (letter.failedAt === null || letter.failedAt >= f.until)) return false;
  return true;
}

/** Newest-first failed jobs of one queue matching the filter, at most `limit`, reading at most DEAD_LETTER_SCAN_LIMIT. */
async function failedOf(flow: string, queue: Queue, f: DeadLetterFilter, limit: number): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  const unfiltered = f.code === undefined && f.since === undefined && f.until === undefined;
  for (let start = 0; start < DEAD_LETTER_SCAN_LIMIT && out.length < limit; start += DEAD_LETTER_PAGE) {
    const page = unfiltered ? Math.min(DEAD_LETTER_PAGE, limit - out.length) : DEAD_LETTER_PAGE;
    const jobs = await queue.getFailed(start, start + page - 1);
    for (const job of jobs) {
      if (!job) continue; // a job hash removed between the set read and the hash read
      const letter = toDeadLetter(flow, job);
      if (matches(letter, f)) out.push(letter);
      if (out.length >= limit) break;
    }
    if (jobs.length < page) break;
  }
  return out;
}

/**
 * ApiOps over BullMQ's Queue API and the catalog's Redis keys directly (cursor: plain string; poll status: JSON
 * string or hash, see readPollStatus; ledger: hash keys.ledger(prefix, flow), field = FBillNo or source id, value = JSON). Manual polls and resyncs are jobs
 * on the poll queue with pollJobSchema payloads; dead letters are the failed sets of the flow queues, their
 * code parsed from the `[CODE] message` failedReason. Creates no connection of its own.
 */
export function createRedisOps(deps: RedisOpsDeps): ApiOps {
  const { redis, prefix, queues } = deps;
  const names = deps.flows.map((f) => f.name);
  const now = deps.now ?? (() => new Date());
  const pauses = createFlowPauseStore(redis, prefix);
  const ledger = createLedger(redis, prefix);
  /** The FBillNo a bill of `docId` had under the flow's main prefix: found even when recorded before the ledger's bill index. */
  const legacyBillKeys = (flow: string, docId: string): string[] => {
    const billNoPrefix = deps.flows.find((f) => f.name === flow)?.billNoPrefix;
    return billNoPrefix === undefined ? [] : [`${billNoPrefix}${docId}`];
  };
  const pollStatuses = createPollStatusStore(redis, prefix);
  // Flows with an FBillNo prefix write Kingdee documents; the Kingdee-source flows (material) keep one entry per SKU.
  const documentFlows = deps.flows.filter((f) => f.billNoPrefix !== undefined).map((f) => f.name);
  const lagOf = (lastSuccessAt: string | undefined): number | null => {
    const t = lastSuccessAt === undefined ? NaN : Date.parse(lastSuccessAt);
    return Number.isNaN(t) ? null : Math.max(0, Math.round((now().getTime() - t) / 1000));
  };

  const flowQueue = (flow: string): Queue => {
    const q = queues.flows.get(flow);
    if (!q) throw new Error(`no queue opened for flow "${flow}"`);
    return q;
  };

  /** Each transport's own cursor and poll status (flows reading through Qimen). */
  async function transportStatuses(f: FlowDescriptor): Promise<FlowStatus['transports']> {
    if (!f.transports) return undefined;
    return Promise.all(f.transports.map(async (name) => {
      const [cursor, status] = await Promise.all([
        redis.get(keys.cursor(prefix, transportCursorName(f.name, name))),
        readPollStatus(redis, keys.pollStatus(prefix, transportStatusName(f.name, name))),
      ]);
      return {
        name, cursor, lastPollAt: status.lastSuccessAt ?? null, lastError: status.lastError ?? null, lastErrorAt: status.lastErrorAt ?? null, lastPollCounts: status.counts ?? null,
      };
    }));
  }

  async function flowStatus(f: FlowDescriptor): Promise<FlowStatus> {
    const [cursor, status, raw, paused, writtenToday, beforeCutover, transports] = await Promise.all([
      redis.get(keys.cursor(prefix, f.name)),
      readPollStatus(redis, keys.pollStatus(prefix, f.name)),
      flowQueue(f.name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      pauses.isPaused(f.name),
      redis.get(`${prefix}:metrics:written-day:${f.name}:${beijingDay(now())}`),
      pollStatuses.beforeCutoverCount(f.name),
      transportStatuses(f),
    ]);
    const counts: JobCounts = {
      waiting: (raw.waiting ?? 0) + (raw.prioritized ?? 0),
      active: raw.active ?? 0,
      delayed: raw.delayed ?? 0,
      failed: raw.failed ?? 0,
      completed: raw.completed ?? 0,
    };
    return {
      name: f.name,
      title: f.title,
      enabled: f.enabled,
      schedule: { everyMs: f.everyMs },
      cursor,
      lastPollAt: status.lastSuccessAt ?? null,
      lastError: status.lastError ?? null,
      lastErrorAt: status.lastErrorAt ?? null,
      lastPollCounts: status.counts ?? null,
      counts,
      paused,
      lagSeconds: lagOf(status.lastSuccessAt),
      writtenToday: Number(writtenToday ?? 0),
      cutover: f.cutover ?? null,
      beforeCutover,
      ...(transports ? { transports } : {}),
    };
  }

  return {
    flowNames: () => names,

    documentFlowNames: () => documentFlows,

    listFlows: () => Promise.all(deps.flows.map(flowStatus)),

    async triggerPoll(flow) {
      const data: PollJob = pollJobSchema.parse({ flow });
      // Deduplicated while one manual poll of this flow is still pending: repeated clicks collapse into one job.
      const job = await queues.poll.add('poll', data, {
        jobId: `poll-manual-${flow}-${randomUUID()}`,
        deduplication: { id: `poll-manual-${flow}` },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
      });
      return { jobId: String(job.id) };
    },

    async startResync(req, opts = {}) {
      const range = 'docIds' in req ? { docIds: req.docIds } : { from: req.from, to: req.to };
      const resync = { ...range, ...(req.ignoreCutover && { ignoreCutover: true }), ...(opts.repair && { repair: opts.repair }) };
      const data: PollJob = pollJobSchema.parse({ flow: req.flow, resync });
      const id = `resync-${req.flow}-${randomUUID()}`;
      // Kept a week so `GET /resync/:id` can still answer after it finished.
      await queues.poll.add('resync', data, {
        jobId: id,
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
      return { id };
    },

    async getResync(id): Promise<ResyncStatus | undefined> {
      const job = await queues.poll.getJob(id);
      if (!job) return undefined;
      const data = pollJobSchema.safeParse(job.data);
      if (!data.success || !data.data.resync) return undefined; // a scheduled or manual poll, not a resync
      return {
        id,
        flow: data.data.flow,
        state: await job.getState(),
        progress: job.progress ?? null,
        result: job.returnvalue ?? null,
        failedReason: job.failedReason || null,
        createdAt: iso(job.timestamp),
        finishedAt: iso(job.finishedOn),
      };
    },

    async listDeadLetters(filter) {
      const limit = filter.limit ?? DEFAULT_LIMIT;
      const flows = filter.flow !== undefined ? [filter.flow] : names;
      const perFlow = await Promise.all(flows.map((f) => failedOf(f, flowQueue(f), filter, limit)));
      return perFlow
        .flat()
        .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
        .slice(0, limit);
    },

    async retryDeadLetter(flow, jobId) {
      const job = await flowQueue(flow).getJob(jobId);
      if (!job) return 'not-found';
      if ((await job.getState()) !== 'failed') return 'not-failed';
      try {
        // A fresh set of attempts: the operator fixed the cause, the retry policy applies again in full.
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return 'retried';
      } catch (err) {
        // Someone else (Bull Board, a second click) moved it first.
        if ((await job.getState()) !== 'failed') return 'not-failed';
        throw err;
      }
    },

    async getDocument(flow, sourceId) {
      // Every bill the document produced (the ledger's index knows them all, e.g. a stocktake's gain and loss
      // bills), its skip entry, and the FBillNo of a bill recorded before the index existed.
      const entries: LineageEntry[] = [];
      for (const { key, entry } of await ledger.entriesOf(flow, sourceId, legacyBillKeys(flow, sourceId))) {
        const job = await flowQueue(flow).getJob(entry.jobId);
        const log = job ? (await flowQueue(flow).getJobLogs(String(job.id), 0, 49)).logs : [];
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

    async cancelResync(id) {
      const job = await queues.poll.getJob(id);
      if (!job || !pollJobSchema.safeParse(job.data).data?.resync) return 'not-found';
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') return 'finished';
      const stopRunning = async (): Promise<'cancelling'> => {
        // The poller checks this flag between windows / id batches and stops there.
        await redis.set(keys.resyncCancel(prefix, id), new Date().toISOString(), 'EX', 7 * 24 * 3600);
        return 'cancelling';
      };
      if (state === 'active') return stopRunning();
      try {
        await job.remove();
        return 'cancelled';
      } catch {
        // A poller took it between the state read and the remove (the job is locked).
        return stopRunning();
      }
    },

    async getDeadLetter(flow, jobId) {
      const queue = flowQueue(flow);
      const job = await queue.getJob(jobId);
      if (!job) return undefined;
      const data = z
        .object({ docId: z.string().optional(), doc: z.unknown(), origin: z.string().optional(), enqueuedAt: z.string().optional() })
        .safeParse(job.data);
      const { logs } = await queue.getJobLogs(jobId, 0, 999);
      const docId = data.success ? data.data.docId : undefined;
      const ledgerEntries = docId === undefined ? [] : (await ledger.entriesOf(flow, docId, legacyBillKeys(flow, docId))).map((e) => e.entry);
      return {
        ...toDeadLetter(flow, job),
        sourceDocument: data.success ? data.data.doc : null,
        origin: (data.success ? data.data.origin : undefined) ?? null,
        enqueuedAt: (data.success ? data.data.enqueuedAt : undefined) ?? null,
        log: logs,
        attemptErrors: (job.stacktrace ?? []).map((s) => String(s).split('\n')[0]),
        ledger: ledgerEntries[0] ?? null,
        ledgerEntries,
      };
    },

    async retryDeadLetters(filter) {
      const letters = await this.listDeadLetters({ ...filter, limit: filter.limit ?? 1000 });
      const retried: string[] = [];
      for (const l of letters) {
        if ((await this.retryDeadLetter(l.flow, l.jobId)) === 'retried') retried.push(l.jobId);
      }
      return { retried };
    },

    async discardDeadLetter(flow, jobId) {
      const job = await flowQueue(flow).getJob(jobId);
      if (!job) return 'not-found';
      if ((await job.getState()) !== 'failed') return 'not-failed';
      await job.remove();
      return 'discarded';
    },

    async pruneLedger(flow, opts) {
      return ledger.prune(flow, opts);
    },

    async setPaused(flow, paused, by) {
      if (paused) {
        await pauses.pause(flow, by, now().toISOString());
        await flowQueue(flow).pause();
      } else {
        await flowQueue(flow).resume();
        await pauses.resume(flow);
      }
    },

    async queueGauges(): Promise<QueueGauges[]> {
      const statuses = await Promise.all(deps.flows.map(flowStatus));
      return statuses.map((s) => ({ flow: s.name, counts: s.counts, lagSeconds: s.lagSeconds, paused: s.paused }));
    },

    async health() {
      return { redis: await pingWithin(redis, HEALTH_TIMEOUT_MS) };
    },
  };
}
