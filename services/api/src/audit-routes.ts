import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { auditEntrySchema, type AuditLog } from './audit-log';
import { auditQuerySchema } from './request-schemas';

/** The audit log of manual actions (who, what, when). */
export function auditRoutes(audit: AuditLog): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET', url: '/audit', role: 'readonly',
      summary: 'Manual actions (who, what, when), newest first.',
      schema: { querystring: auditQuerySchema, response: { 200: z.object({ entries: z.array(auditEntrySchema) }) } },
      handler: async (req) => ({ entries: await audit.list(req.query) }),
    }),
  ];
}
