import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { JstSimulatorInternals } from './core';
import { ORDERS_OUT_KIND, ORDERS_OUT_STATUSES } from './sales-outbound';
import { applySettingsPatch, settingsPatchSchema } from './settings';
import { JstStoreError } from './store';

/** Admin API prefix (not part of the JST protocol). */
export const ADMIN_PREFIX = '/__admin';

const unit = z.number().min(0).max(1);
const seedSchema = z.strictObject({
  kind: z.literal(ORDERS_OUT_KIND),
  count: z.number().int().min(0).max(1_000_000),
  seed: z.union([z.number(), z.string()]).optional(),
  statusMix: z.partialRecord(z.enum(ORDERS_OUT_STATUSES), z.number().min(0)).optional(),
  unmappedRate: unit.optional(),
  batchRate: unit.optional(),
  splitBatchRate: unit.optional(),
  giftRate: unit.optional(),
  modifiedFrom: z.string().optional(),
  modifiedTo: z.string().optional(),
  startIoId: z.number().int().min(1).optional(),
});
const docsSchema = z.union([z.array(z.record(z.string(), z.unknown())), z.object({ docs: z.array(z.record(z.string(), z.unknown())) })]);
const mutateSchema = z.strictObject({
  kind: z.string().min(1),
  id: z.union([z.string().min(1), z.number()]),
  patch: z.record(z.string(), z.unknown()).optional(),
  status: z.string().min(1).optional(),
});
const mutateRandomSchema = z.strictObject({
  kind: z.string().min(1).optional(),
  count: z.number().int().min(0),
  seed: z.union([z.number(), z.string()]).optional(),
  status: z.string().optional(),
  confirmRate: unit.optional(),
});
const listQuerySchema = z.object({ status: z.string().optional(), ids: z.string().optional() });
const expireSchema = z.object({ access_token: z.string().optional() }).optional();

function bad(reply: FastifyReply, status: number, error: string): { error: string } {
  reply.code(status);
  return { error };
}

/** Runs `fn`, answering zod and store errors as 400/404 JSON `{error}`. */
async function guarded<T>(reply: FastifyReply, fn: () => T): Promise<T | { error: string }> {
  try {
    return fn();
  } catch (err) {
    if (err instanceof z.ZodError) {
      return bad(reply, 400, err.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; '));
    }
    if (err instanceof JstStoreError) return bad(reply, err.status, err.message);
    if (err instanceof Error && /invalid|no generator/.test(err.message)) return bad(reply, 400, err.message);
    throw err;
  }
}

/**
 * JSON admin interface under /__admin: seed, insert, mutate, mutate-random, inspect documents, settings,
 * stats, reset and token expiry. Every operation is also available in-process on the simulator object.
 */
export function registerAdminRoutes(app: FastifyInstance, core: JstSimulatorInternals): void {
  app.register(
    async (admin) => {
      admin.post('/seed', async (req, reply) => guarded(reply, () => core.seed(seedSchema.parse(req.body ?? {}))));

      admin.post<{ Params: { kind: string } }>('/docs/:kind', async (req, reply) =>
        guarded(reply, () => {
          const body = docsSchema.parse(req.body);
          const docs = core.insert(req.params.kind, Array.isArray(body) ? body : body.docs);
          const idKey = core.store.idKeyOf(req.params.kind);
          return { ids: docs.map((d) => d[idKey]), docs };
        }),
      );

      admin.get<{ Params: { kind: string }; Querystring: Record<string, string> }>('/docs/:kind', async (req, reply) =>
        guarded(reply, () => {
          const q = listQuerySchema.parse(req.query);
          const ids = q.ids ? q.ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
          const docs = core.store.list(req.params.kind, { status: q.status, ids });
          return { count: docs.length, docs };
        }),
      );

      admin.get<{ Params: { kind: string; id: string } }>('/docs/:kind/:id', async (req, reply) =>
        guarded(reply, () => {
          const doc = core.store.get(req.params.kind, req.params.id);
          if (!doc) throw new JstStoreError(`${req.params.kind} ${req.params.id} not found`, 404);
          return doc;
        }),
      );

      admin.post('/mutate', async (req, reply) =>
        guarded(reply, () => {
          const m = mutateSchema.parse(req.body);
          return core.mutate(m.kind, m.id, { patch: m.patch, status: m.status });
        }),
      );

      admin.post('/mutate-random', async (req, reply) =>
        guarded(reply, () => {
          const m = mutateRandomSchema.parse(req.body);
          return { ids: core.mutateRandomly(m.count, m.seed ?? core.now(), { kind: m.kind, status: m.status, confirmRate: m.confirmRate }) };
        }),
      );

      admin.get('/settings', async () => core.settings);
      admin.post('/settings', async (req, reply) =>
        guarded(reply, () => {
          applySettingsPatch(core.settings, settingsPatchSchema.parse(req.body ?? {}));
          return core.settings;
        }),
      );

      admin.get('/stats', async () => core.stats());

      admin.post('/reset', async () => {
        core.reset();
        return { ok: true };
      });

      admin.post('/tokens/expire', async (req, reply) =>
        guarded(reply, () => ({ expired: core.tokens.expire(expireSchema.parse(req.body ?? undefined)?.access_token) })),
      );
    },
    { prefix: ADMIN_PREFIX },
  );
}
