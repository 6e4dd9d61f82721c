import { preflightReportSchema, type PreflightReport } from '@sync/preflight';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from './http-error';
import { parseInput } from './request-schemas';

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
export function registerPreflightRoute(scope: FastifyInstance, run: PreflightRunner | undefined): void {
  const inFlight = new Map<number, Promise<PreflightReport>>();
  scope.get('/preflight', async (req) => {
    if (req.role !== 'operator') {
      throw new HttpError(403, { error: 'forbidden', message: 'the preflight doctor needs the operator credential (it reads Kingdee and spends JST calls)' });
    }
    const { days = 7 } = parseInput(preflightQuerySchema, req.query ?? {}, 'query');
    if (!run) throw new HttpError(503, { error: 'preflight_unavailable', message: 'the preflight doctor is not configured in this API process' });
    let pending = inFlight.get(days);
    if (!pending) {
      pending = run({ days }).finally(() => inFlight.delete(days));
      inFlight.set(days, pending);
    }
    const report = await pending;
    req.log.info({ days, errors: report.summary.errors, warnings: report.summary.warnings, principal: req.principal }, 'preflight run');
    return preflightReportSchema.parse(report);
  });
}
