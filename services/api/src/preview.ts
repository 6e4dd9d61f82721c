import { isClassified } from '@sync/errors';
import { settingsFor, type AnyDocumentFlow, type FlowContext, type SyncConfig } from '@sync/flows';
import { z } from 'zod';

/** Body of `POST /preview`: a flow and either the JST document itself or its id (fetched from JST). */
export const previewBodySchema = z
  .object({
    flow: z.string().min(1),
    document: z.record(z.string(), z.unknown()).optional(),
    docId: z.string().trim().min(1).max(128).optional(),
  })
  .strict()
  .refine((b) => (b.document === undefined) !== (b.docId === undefined), {
    message: 'give either document or docId',
    path: ['document'],
  });

export const previewProblemSchema = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
export type PreviewProblem = z.infer<typeof previewProblemSchema>;

/** What the transform would do with the document: the Kingdee Save models, a skip, or the problems that stop it. */
export const previewResultSchema = z.object({
  flow: z.string(),
  docId: z.string().nullable(),
  outcome: z.enum(['write', 'skip', 'rejected']),
  documents: z.array(z.object({ formId: z.string(), billNo: z.string(), model: z.record(z.string(), z.unknown()) })),
  skipReason: z.string().nullable(),
  notes: z.array(z.string()),
  problems: z.array(previewProblemSchema),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

/** What the preview needs: the flow registry and the config (mappings, flow settings). */
export interface PreviewDeps {
  flows: Readonly<Record<string, AnyDocumentFlow>>;
  config: SyncConfig;
  /** Reads one JST document by id (the API's optional JST client); without it only `{document}` previews work. */
  fetchDocument?: (flow: string, docId: string) => Promise<unknown | undefined>;
}

/**
 * Dry run of one document through its flow: source schema, pure transform, target schema. Pure (the clock value
 * is passed in), writes nothing. Problems carry the same codes as dead letters (INVALID_SOURCE_DOCUMENT,
 * UNMAPPED_BASE_DATA ...), so an operator can fix a mapping and preview again before retrying.
 */
export function previewDocument(deps: Pick<PreviewDeps, 'flows' | 'config'>, flowName: string, raw: unknown, now: string): PreviewResult {
  const base = { flow: flowName, docId: null as string | null, documents: [], skipReason: null, notes: [] as string[] };
  const flow = deps.flows[flowName];
  const settings = settingsFor(deps.config, flowName);
  if (!flow || !settings) {
    return { ...base, outcome: 'rejected', problems: [{ code: 'CONFIG_INVALID', message: `flow "${flowName}" has no flows.${flowName} section in the config file` }] };
  }
  const parsed = flow.schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ...base,
      outcome: 'rejected',
      problems: parsed.error.issues.map((i) => ({ code: 'INVALID_SOURCE_DOCUMENT', message: i.message, field: i.path.map(String).join('.') })),
    };
  }
  const docId = flow.docId(parsed.data);
  const ctx: FlowContext = { flow: flowName, settings, mappings: deps.config.mappings, now };
  try {
    const result = flow.transform(parsed.data, ctx);
    if (result.kind === 'skip') return { ...base, docId, outcome: 'skip', skipReason: result.reason, problems: [] };
    const problems: PreviewProblem[] = [];
    for (const doc of result.documents) {
      const check = flow.target.schema.safeParse(doc.model);
      if (!check.success) {
        for (const i of check.error.issues) {
          problems.push({ code: 'INVALID_TARGET_DOCUMENT', message: `${doc.billNo}: ${i.message}`, field: i.path.map(String).join('.') });
        }
      }
    }
    return {
      ...base,
      docId,
      outcome: problems.length ? 'rejected' : 'write',
      documents: result.documents.map((d) => ({ formId: d.formId, billNo: d.billNo, model: d.model })),
      notes: result.notes ?? [],
      problems,
    };
  } catch (err) {
    const code = isClassified(err) ? err.code : 'TRANSFORM_FAILED';
    const field = isClassified(err) && typeof err.details.field === 'string' ? err.details.field : undefined;
    const message = err instanceof Error ? err.message : String(err);
    return { ...base, docId, outcome: 'rejected', problems: [{ code, message, ...(field !== undefined ? { field } : {}) }] };
  }
}
