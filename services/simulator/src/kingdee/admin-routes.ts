import type { FastifyInstance, FastifyReply } from 'fastify';
import { z, ZodError } from 'zod';
import type { KingdeeAdmin } from './admin-api';
import { baseDataInputSchema } from './base-data';
import type { SimulatorState } from './simulator-state';

/**
 * `/__admin/` routes for demos and tests (not part of the Kingdee protocol): base data, stored
 * documents, stats, faults and knobs, session expiry, reset. Bad input → 400 with the zod issues.
 */
const documentQuery = z.object({ billNo: z.string().optional(), thirdPartyId: z.string().optional() });

export async function adminRoutes(app: FastifyInstance, opts: { admin: KingdeeAdmin; state: SimulatorState }): Promise<void> {
  const { admin, state } = opts;
  const badRequest = (reply: FastifyReply, err: unknown): FastifyReply => {
    if (err instanceof ZodError) return reply.code(400).send({ error: 'invalid input', issues: err.issues });
    throw err;
  };

  app.post('/__admin/base-data', async (req, reply) => {
    try {
      return { written: admin.addBaseData(baseDataInputSchema.parse(req.body ?? {})) };
    } catch (err) {
      return badRequest(reply, err);
    }
  });
  app.get('/__admin/base-data', async () => admin.baseData());
  app.get<{ Params: { formId: string } }>('/__admin/documents/:formId', async (req, reply) => {
    const q = documentQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error);
    return { formId: req.params.formId, documents: admin.documents(req.params.formId, q.data) };
  });
  app.get('/__admin/stats', async () => admin.stats());
  app.get('/__admin/faults', async () => state.settings);
  app.post('/__admin/faults', async (req, reply) => {
    try {
      return admin.setFaults(req.body ?? {});
    } catch (err) {
      return badRequest(reply, err);
    }
  });
  app.post('/__admin/expire-sessions', async () => ({ expired: admin.expireSessions() }));
  app.post('/__admin/reset', async () => {
    admin.reset();
    return { ok: true };
  });
}
