import { randomUUID } from 'node:crypto';
import { createResyncCancelStore, pollJobSchema, type PollJob } from '@sync/queue';
import type { ApiOps, ResyncStatus } from '../ops';
import { iso, type OpsContext } from './context';

/** Manual polls and resyncs: jobs on the poll queue with pollJobSchema payloads, which the poller runs. */
export function resyncOps(ctx: OpsContext): Pick<ApiOps, 'triggerPoll' | 'startResync' | 'getResync' | 'cancelResync'> {
  const poll = ctx.queues.poll;
  const cancels = createResyncCancelStore(ctx.redis, ctx.prefix);
  return {
    async triggerPoll(flow) {
      const data: PollJob = pollJobSchema.parse({ flow });
      // Deduplicated while one manual poll of this flow is still pending: repeated clicks collapse into one job.
      const job = await poll.add('poll', data, {
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
      await poll.add('resync', data, {
        jobId: id,
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
      return { id };
    },

    async getResync(id): Promise<ResyncStatus | undefined> {
      const job = await poll.getJob(id);
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

    async cancelResync(id) {
      const job = await poll.getJob(id);
      if (!job || !pollJobSchema.safeParse(job.data).data?.resync) return 'not-found';
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') return 'finished';
      const stopRunning = async (): Promise<'cancelling'> => {
        await cancels.request(id, new Date().toISOString());
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
  };
}
