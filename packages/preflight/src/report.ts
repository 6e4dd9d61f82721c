import { z } from 'zod';

/**
 * The doctor's output: one finding per problem, each naming the config path it is about and what to do.
 * `error` = documents will fail (or already fail) because of it; `warning` = likely trouble or a check that
 * could not run; `info` = something the operator should know (a part not checked in this process).
 */
export const severitySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof severitySchema>;

/** Which check produced a finding (stable names: filter on them). */
export const checkNames = [
  'kingdee.login',
  'kingdee.base-data',
  'kingdee.stock-organisation',
  'kingdee.material-flags',
  'kingdee.location',
  'jst.token',
  'jst.endpoint',
  'jst.qimen',
  'config.reference',
  'mapping.gap',
  'doctor.skipped',
] as const;
export const checkNameSchema = z.enum(checkNames);
export type CheckName = z.infer<typeof checkNameSchema>;

export const findingSchema = z
  .object({
    severity: severitySchema,
    check: checkNameSchema,
    /** The config path (e.g. `mappings.warehouses."10969016".stock`) or env variable the finding is about. */
    path: z.string().min(1),
    /** What is wrong, naming the value (number, key, user). */
    message: z.string().min(1),
    /** What to do about it. */
    action: z.string().min(1),
    /** Mapping gaps: JST documents of the scanned days that this gap blocks. */
    blocks: z.number().int().nonnegative().optional(),
    /** Mapping gaps: the flows whose documents it blocks, and a few of their ids. */
    flows: z.array(z.string()).optional(),
    sampleDocIds: z.array(z.string()).optional(),
    /** Unmapped SKUs: a ready-to-paste YAML snippet of the suggested mapping (nothing is written anywhere). */
    suggestion: z.string().optional(),
  })
  .strict();
export type Finding = z.infer<typeof findingSchema>;

/** `sync-cli doctor --json` and `GET /preflight` answer exactly this. */
export const preflightReportSchema = z
  .object({
    /** True when there is no error finding. */
    ok: z.boolean(),
    /** ISO time the report was made. */
    checkedAt: z.string(),
    /** Days of JST documents read for mapping gaps (0 = not read). */
    days: z.number().int().nonnegative(),
    summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }).strict(),
    findings: z.array(findingSchema),
  })
  .strict();
export type PreflightReport = z.infer<typeof preflightReportSchema>;

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The report of a list of findings: errors first, then warnings, then infos (stable within a severity). Pure. */
export function buildReport(findings: readonly Finding[], checkedAt: string, days: number): PreflightReport {
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => severityOrder[a.f.severity] - severityOrder[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
  const count = (s: Severity) => sorted.filter((f) => f.severity === s).length;
  const summary = { errors: count('error'), warnings: count('warning'), infos: count('info') };
  return { ok: summary.errors === 0, checkedAt, days, summary, findings: sorted };
}
