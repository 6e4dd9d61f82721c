import { z } from 'zod';
import { isBeijingDateTime } from './beijing-time';
import type { FastifySchemaValidationError } from 'fastify';
import type { ResyncRequest } from './ops';

const beijingTime = z
  .string()
  .refine(isBeijingDateTime, { message: 'expected Beijing time as yyyy-MM-dd HH:mm:ss' });

/** An id taken from a path segment: non-empty, bounded, no control characters. */
const pathId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'contains control characters' });

/**
 * Body of `POST /resync`: `{flow, from, to}` (Beijing-time window, from ≤ to, any length) or
 * `{flow, docIds}` (1..1000 ids, duplicates dropped). Both modes at once is an error.
 */
export const resyncBodySchema = z
  .object({
    flow: z.string().min(1),
    from: beijingTime.optional(),
    to: beijingTime.optional(),
    docIds: z.array(z.string().trim().min(1).max(128)).min(1).max(1000).optional(),
    /** Write documents dated before the flow's cutover too (history on purpose; audited). Default false. */
    ignoreCutover: z.boolean().optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const hasWindow = b.from !== undefined || b.to !== undefined;
    if (b.docIds && hasWindow) {
      ctx.addIssue({ code: 'custom', path: ['docIds'], message: 'give either from/to or docIds, not both' });
    } else if (!b.docIds && !hasWindow) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'required: a window (from, to) or docIds' });
    } else if (hasWindow && b.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'required with to' });
    } else if (hasWindow && b.to === undefined) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'required with from' });
    } else if (b.from !== undefined && b.to !== undefined && b.from > b.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${b.from})` });
    }
  })
  .transform((b): ResyncRequest => {
    const ignore = b.ignoreCutover ? { ignoreCutover: true } : {};
    return b.docIds
      ? { flow: b.flow, docIds: [...new Set(b.docIds)], ...ignore }
      : { flow: b.flow, from: b.from as string, to: b.to as string, ...ignore };
  });

export const flowParamsSchema = z.object({ flow: pathId });
export const resyncParamsSchema = z.object({ id: pathId });
export const deadLetterParamsSchema = z.object({ flow: pathId, jobId: pathId });
export const documentParamsSchema = z.object({ flow: pathId, sourceId: pathId });

/** Where Fastify validated (`validationContext`) as the field named when the issue has no path. */
const WHOLE_INPUT: Readonly<Record<string, string>> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * The 400 body for a zod validation failure (the first issue, as the zod type provider reports it): the field is the
 * dotted path of the issue (`docIds.3`), the unknown key of a strict object, or the whole input (`body`, `query`,
 * `params`); the message starts with that field.
 */
export function validationErrorBody(issue: FastifySchemaValidationError, context: string | undefined): { error: 'bad_request'; field: string; message: string } {
  const path = issue.instancePath.split('/').slice(1).filter((p) => p !== '');
  const keys = (issue.params as { keys?: unknown }).keys;
  const unknownKey = issue.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length ? [String(keys[0])] : [];
  // An empty key (`{"": 1}`) is named `""`, so the field is never blank.
  const segments = [...path, ...unknownKey].map((p) => (p === '' ? '""' : p.slice(0, 100)));
  const field = segments.length ? segments.join('.') : WHOLE_INPUT[context ?? ''] ?? 'request';
  const message = issue.keyword === 'unrecognized_keys' ? 'unknown field' : (issue.message ?? 'invalid');
  return { error: 'bad_request', field, message: `${field}: ${message}` };
}

const isoInstant = z.iso.datetime({ offset: true });

/** Query of `GET /dead-letters` and body of `POST /dead-letters/retry`: flow, reason class, failure time range. */
export const deadLetterFilterSchema = z
  .object({
    flow: z.string().min(1).optional(),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, { message: 'expected an error code such as UNMAPPED_BASE_DATA' })
      .optional(),
    /** ISO time: only dead letters that failed at or after it. */
    since: isoInstant.optional(),
    /** ISO time: only dead letters that failed before it. */
    until: isoInstant.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** Body of `POST /dead-letters/retry`: a filter that must name at least a flow or a code (no accidental retry-everything). */
export const retryAllBodySchema = deadLetterFilterSchema
  .extend({ limit: z.number().int().min(1).max(5000).default(1000), all: z.boolean().optional() })
  .refine((b) => b.flow !== undefined || b.code !== undefined || b.all === true, {
    message: 'name a flow or a code (or set all: true to retry every dead letter)',
    path: ['code'],
  });

/** Body of `POST /dead-letters/:flow/:jobId/discard`: the operator's reason, kept in the audit log. */
export const discardBodySchema = z.object({ note: z.string().trim().min(3).max(1000) }).strict();

/** Longest age `POST /ledger/prune` accepts (days): ten years, so the cutoff is always a valid date. */
export const LEDGER_PRUNE_MAX_DAYS = 3650;

/**
 * Body of `POST /ledger/prune`: one document flow (default: every one), the age in whole days (≥ 1) of the ledger
 * entries to remove, and a dry run that only counts.
 */
export const ledgerPruneBodySchema = z
  .object({
    flow: z.string().min(1).optional(),
    olderThanDays: z.number().int().min(1).max(LEDGER_PRUNE_MAX_DAYS),
    dryRun: z.boolean().default(false),
  })
  .strict();

/** Query of `GET /audit`. */
export const auditQuerySchema = z
  .object({
    action: z.string().min(1).max(64).optional(),
    principal: z.string().min(1).max(256).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
