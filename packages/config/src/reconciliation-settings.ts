import { z } from 'zod';

/**
 * `reconciliation:` in the flows/mapping file: when the daily reconciliation (对账) runs and what it leaves out on
 * purpose (besides the documents dated before the flow's `cutover`). Everything is optional; without `schedule`
 * nothing runs by itself (runs are started through the API).
 */
export const reconciliationSettingsSchema = z
  .object({
    schedule: z
      .object({
        /** Daily at this Beijing time (`HH:mm`), e.g. `10:15`. */
        dailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm (Beijing time)').optional(),
        /** Or every N ms (the demo: a result within minutes). */
        everyMs: z.number().int().min(10_000).optional(),
        /** Which business day a scheduled run reconciles: 1 = yesterday, 0 = today so far. */
        daysBack: z.number().int().min(0).max(31).default(1),
      })
      .strict()
      .refine((s) => (s.dailyAt === undefined) !== (s.everyMs === undefined), { message: 'give exactly one of dailyAt and everyMs' })
      .optional(),
    /**
     * How many days after a business day JST documents of that day may still change: the JST side reads documents
     * modified from the day's start to this many days after its end (windows of ≤ 7 days).
     */
    lookaheadDays: z.number().int().min(0).max(31).default(7),
    /** Per flow: JST document ids left out on purpose (shown apart as skipped). */
    exclude: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /** Results older than this many days are removed. */
    keepDays: z.number().int().min(1).max(3650).default(90),
    /** At most this many results are kept (the oldest go first). */
    maxRuns: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type ReconciliationSettings = z.infer<typeof reconciliationSettingsSchema>;
