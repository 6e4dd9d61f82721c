import { z } from 'zod';
import { numberingRuleSchema, refusalRuleSchema, type NumberingRule, type RefusalRule } from './account-rules';

/**
 * The simulator's mutable knobs (`sim.settings`, POST /__admin/faults). Changes take effect on the next
 * call. Counters (`nextN`) are consumed one per matching call; `rate` is a probability per call.
 */
export interface FaultCounter {
  /** The next N matching calls get the fault. */
  nextN: number;
  /** Then each matching call gets it with this probability (0..1). */
  rate: number;
}

export interface KingdeeSimulatorSettings {
  /** A call costs perCallMs; a Save/BatchSave additionally perLineMs per entry row. Applied inside the per-session queue. */
  latency: { perCallMs: number; perLineMs: number };
  /** Sessions unused for longer expire (MsgCode 1). */
  sessionIdleSeconds: number;
  /** Accepted clock skew of signed-header and LoginBySign timestamps. */
  signatureSkewSeconds: number;
  /** Reject signed requests without a valid X-Api-Signature (otherwise it is checked only when sent). */
  requireApiSignature: boolean;
  /** Process calls of one session one at a time (the real server queues per session). */
  serializePerSession: boolean;
  /** Upper bound of ExecuteBillQuery `Limit`. */
  queryLimitCap: number;
  /** Forms / bill types whose coding rule replaces the FBillNo sent (account-rules.ts). */
  numbering: NumberingRule[];
  /** Submit / Audit refusals: negative stock, workflow, permission (account-rules.ts). */
  refusals: RefusalRule[];
  faults: {
    /** Any `.common.kdsvc` call answers HTTP 500 with an IIS-style HTML body. */
    http500: FaultCounter;
    /** DynamicFormService calls answer MsgCode 14 (调用限制). */
    callLimit: FaultCounter;
    /** Save/BatchSave commit, then hold the answer `delayMs` (longer than the client's timeout). */
    commitThenDelay: FaultCounter & { delayMs: number };
  };
}

export function defaultSettings(overrides: { sessionIdleSeconds?: number; latency?: Partial<KingdeeSimulatorSettings['latency']> } = {}): KingdeeSimulatorSettings {
  return {
    latency: { perCallMs: 0, perLineMs: 0, ...overrides.latency },
    sessionIdleSeconds: overrides.sessionIdleSeconds ?? 1200,
    signatureSkewSeconds: 600,
    requireApiSignature: false,
    serializePerSession: true,
    queryLimitCap: 10000,
    numbering: [],
    refusals: [],
    faults: {
      http500: { nextN: 0, rate: 0 },
      callLimit: { nextN: 0, rate: 0 },
      commitThenDelay: { nextN: 0, rate: 0, delayMs: 30000 },
    },
  };
}

const counter = z.object({ nextN: z.number().int().min(0).optional(), rate: z.number().min(0).max(1).optional() });

/** A partial settings change (admin boundary). */
export const settingsPatchSchema = z.object({
  latency: z.object({ perCallMs: z.number().min(0).optional(), perLineMs: z.number().min(0).optional() }).optional(),
  sessionIdleSeconds: z.number().positive().optional(),
  signatureSkewSeconds: z.number().positive().optional(),
  requireApiSignature: z.boolean().optional(),
  serializePerSession: z.boolean().optional(),
  queryLimitCap: z.number().int().positive().optional(),
  /** Replaces the whole list. */
  numbering: z.array(numberingRuleSchema).optional(),
  /** Replaces the whole list. */
  refusals: z.array(refusalRuleSchema).optional(),
  faults: z
    .object({
      http500: counter.optional(),
      callLimit: counter.optional(),
      commitThenDelay: counter.extend({ delayMs: z.number().int().min(0).optional() }).optional(),
    })
    .optional(),
});
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

/** Validates `patch` and merges it into `settings` in place. Throws a ZodError on bad input. */
export function applySettingsPatch(settings: KingdeeSimulatorSettings, patch: unknown): void {
  const p = settingsPatchSchema.parse(patch);
  if (p.latency) Object.assign(settings.latency, p.latency);
  if (p.faults?.http500) Object.assign(settings.faults.http500, p.faults.http500);
  if (p.faults?.callLimit) Object.assign(settings.faults.callLimit, p.faults.callLimit);
  if (p.faults?.commitThenDelay) Object.assign(settings.faults.commitThenDelay, p.faults.commitThenDelay);
  if (p.numbering) settings.numbering = p.numbering;
  if (p.refusals) settings.refusals = p.refusals;
  for (const key of ['sessionIdleSeconds', 'signatureSkewSeconds', 'requireApiSignature', 'serializePerSession', 'queryLimitCap'] as const) {
    const v = p[key];
    if (v !== undefined) (settings as unknown as Record<string, unknown>)[key] = v;
  }
}

/** Consumes one `nextN` or draws against `rate`; true = inject the fault on this call. */
export function takeFault(counter: FaultCounter, random: () => number): boolean {
  if (counter.nextN > 0) {
    counter.nextN--;
    return true;
  }
  return counter.rate > 0 && random() < counter.rate;
}
