import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { jobStateConflict, nulInQuery } from './bull-board-errors';

/** Where Bull Board is mounted; its UI, static assets and REST API all live under this path. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board for `queues` on `scope` at BULL_BOARD_PATH, in its own child context (it registers
 * @fastify/static and @fastify/view). Authentication is the caller's: register this inside the context
 * that has the auth hook, so the UI, its assets and its API are all protected. `locale`: one of the UI's bundled
 * languages (BULL_BOARD_LOCALE, default zh-CN).
 */
export async function registerBullBoard(scope: FastifyInstance, queues: readonly Queue[], locale = 'zh-CN'): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH); // must equal the prefix below, or the assets 404
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'JST → Kingdee sync', locale: { lng: locale } } },
  });
  await scope.register(async (board) => {
    board.addHook('preHandler', async (req, reply) => {
      const bad = nulInQuery(req.query);
      if (bad) return reply.code(400).send(bad);
    });
    // A job-state refusal (promote a job that is not delayed ...) is a 409 for the caller, not a server fault.
    board.addHook('onSend', async (_req, reply, payload) => {
      const conflict = jobStateConflict(reply.statusCode, payload);
      if (!conflict) return payload;
      reply.code(409).type('application/json; charset=utf-8');
      return JSON.stringify(conflict);
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
