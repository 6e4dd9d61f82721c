import { preflightReportSchema, type PreflightReport } from '@sync/preflight';
import { defineRoute, type ApiRoute } from './api-route';
import { z } from 'zod';
import { HttpError } from './http-error';

/** Runs the doctor over the last `days` days of JST documents (0 = no document scan). */
export type PreflightRunner = (opts: { days: number }) => Promise<PreflightReport>;

/** Most days a doctor run may read (each day costs JST calls on every enabled flow's endpoint). */
export const MAX_PREFLIGHT_DAYS = 31;

/** Query of `GET /preflight`. */
export const preflightQuerySchema = z
  .object({
    /** Days of JST documents read for mapping gaps; default 7, 0 = only the Kingdee and JST checks. */
    days: z
      .string()
      .regex(/^\d{1,2}$/, { error: `a whole number of days, 0 to ${MAX_PREFLIGHT_DAYS}` })
      .transform(Number)
      .refine((n) => n <= MAX_PREFLIGHT_DAYS, { error: `at most ${MAX_PREFLIGHT_DAYS} days` })
      .optional(),
  })
  .strict();

/**
 * `GET /preflight?days=N` (operator role: a run reads Kingdee and spends JST calls): the doctor's report. Concurrent
 * requests for the same days share one run. Without a runner (no config in this API) it answers 503.
 */
export function preflightRoute(run: PreflightRunner | undefined): ApiRoute {
  const inFlight = new Map<number, Promise<PreflightReport>>();
  return defineRoute({
    method: 'GET', url: '/preflight', role: 'operator',
    refusal: 'the preflight doctor needs the operator credential (it reads Kingdee and spends JST calls)',
    summary: 'Preflight doctor: the configuration checked against Kingdee (logins, base data exists, audited, not forbidden, stock organisations, material flags) and JST (token, endpoints), and the mapping gaps of the last `days` (default 7) days of JST documents with suggested SKU mappings; reads only. Operator role.',
    schema: { querystring: preflightQuerySchema, response: { 200: preflightReportSchema } },
    handler: async (req) => {
      const { days = 7 } = req.query;
      if (!run) throw new HttpError(503, { error: 'preflight_unavailable', message: 'the preflight doctor is not configured in this API process' });
      let pending = inFlight.get(days);
      if (!pending) {
        pending = run({ days }).finally(() => inFlight.delete(days));
        inFlight.set(days, pending);
      }
      const report = await pending;
      req.log.info({ days, errors: report.summary.errors, warnings: report.summary.warnings, principal: req.principal }, 'preflight run');
      return report;
    },
  });
}
