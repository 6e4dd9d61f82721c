import { transportSettingsOf } from '@sync/config';
import { enabledFlows, flowRegistry, type AnyDocumentFlow, type FlowName, type SyncConfig } from '@sync/flows';
import { probeQimen, type JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import { baseDataRefs } from './base-data-refs';
import { evaluate } from './evaluate';
import type { GapFacts, KingdeeFacts, KingdeeKind, PreflightFacts, QimenFacts, QimenProbeFact } from './facts';
import { checkEndpoints, scanFlow } from './gather-jst';
import { checkLogins, findCandidates, lookupNumbers, type KingdeeAccess } from './gather-kingdee';
import { gatherLocations } from './gather-locations';
import { buildReport, type PreflightReport } from './report';

export interface PreflightDeps {
  config: SyncConfig;
  /** Kingdee access, or why there is none in this process (e.g. no KINGDEE_* settings). */
  kingdee: KingdeeAccess | { skipped: string };
  /** The JST client (with the shared call budget), or why there is none. */
  jst: JstApi | { skipped: string };
  /**
   * The 聚水潭·奇门 client (with the shared Qimen call budget); `{missing}` when the JST_QIMEN_* credentials are not
   * set (an error for a flow reading through Qimen); undefined when this process does not probe Qimen (an info).
   */
  qimen?: JstApi | { missing: string };
  now: () => Date;
  logger?: Logger;
}

export interface PreflightOptions {
  /** Days of JST documents to read for mapping gaps; 0 = do not read (start-up). Default 7. */
  days?: number;
  /** Stops the gathering between calls (start-up time bound). */
  signal?: AbortSignal;
}

/** Default days of JST documents read for mapping gaps. */
export const DEFAULT_GAP_DAYS = 7;

const skipped = (x: object): x is { skipped: string } => 'skipped' in x;

/** Gathers the facts from Kingdee and JST (the imperative shell of the doctor). Reads only. */
export async function gatherFacts(deps: PreflightDeps, opts: PreflightOptions = {}): Promise<PreflightFacts> {
  const { config } = deps;
  const signal = opts.signal;
  const days = opts.days ?? DEFAULT_GAP_DAYS;
  const now = deps.now();
  const enabled: FlowName[] = enabledFlows(config);
  // The doctor reads JST through the open API; a flow that reads only through 聚水潭·奇门 is left out (and said so).
  const qimenOnly = enabled.filter((name) => transportSettingsOf(config.flows[name]).transport === 'qimen');
  const flows = enabled.filter((name) => !qimenOnly.includes(name));
  const facts: PreflightFacts = qimenOnly.length ? { jstNotChecked: qimenOnly } : {};

  const jstPart = async (): Promise<void> => {
    if (skipped(deps.jst)) {
      facts.jstSkipped = deps.jst.skipped;
      if (days > 0) facts.gapsSkipped = deps.jst.skipped;
      return;
    }
    const jst = deps.jst;
    facts.jst = await checkEndpoints(jst, config, flows, now, signal);
    if (days <= 0) {
      facts.gapsSkipped = 'not requested (the start-up check does not read documents; run sync-cli doctor)';
      return;
    }
    const scans = await Promise.all(
      flows.map(async (name) => {
        const scan = await scanFlow(jst, config, name, days, now, signal);
        deps.logger?.info({ flow: name, days, documents: scan.documents, gaps: scan.gaps.length, ok: scan.ok }, 'preflight: JST documents read');
        return scan;
      }),
    );
    facts.gaps = { days, flows: scans } satisfies GapFacts;
  };

  const qimenPart = async (): Promise<void> => {
    // Flows reading through Qimen: one cheap call per distinct method tells whether credentials and routing work.
    const byMethod = new Map<string, string[]>();
    for (const name of enabled) {
      if (transportSettingsOf(config.flows[name]).transport === 'openweb') continue;
      const method = (flowRegistry[name] as AnyDocumentFlow).qimen?.method;
      if (method) byMethod.set(method, [...(byMethod.get(method) ?? []), name]);
    }
    if (!byMethod.size) return;
    const qimen = deps.qimen;
    const flowsViaQimen = [...byMethod.values()].flat();
    if (!qimen || 'missing' in qimen) {
      facts.qimen = (qimen ? { missing: qimen.missing, flows: flowsViaQimen } : { skipped: 'this process has no Qimen client', flows: flowsViaQimen }) satisfies QimenFacts;
      return;
    }
    const probes: QimenProbeFact[] = [];
    for (const [method, names] of byMethod) {
      signal?.throwIfAborted();
      const probe = await probeQimen(qimen, now.getTime(), method);
      deps.logger?.info({ method, ok: probe.ok, code: probe.ok ? undefined : probe.code }, 'preflight: Qimen route probed');
      probes.push({ ...probe, flows: names });
    }
    facts.qimen = { probes };
  };

  let access: KingdeeAccess | undefined;
  const kingdeeBase = async (): Promise<KingdeeFacts | undefined> => {
    if (skipped(deps.kingdee)) {
      facts.kingdeeSkipped = deps.kingdee.skipped;
      return undefined;
    }
    access = deps.kingdee;
    const numbers: Partial<Record<KingdeeKind, string[]>> = {};
    for (const ref of baseDataRefs(config)) (numbers[ref.kind] ??= []).push(ref.number);
    const logins = await checkLogins(access, signal);
    if (!logins.some((l) => l.ok)) return { logins, records: {} };
    const kd = access.client();
    try {
      return { logins, records: await lookupNumbers(kd, numbers, signal), locations: await gatherLocations(kd, config, signal) };
    } finally {
      await kd.close().catch(() => undefined);
    }
  };

  const [kingdee] = await Promise.all([kingdeeBase(), jstPart(), qimenPart()]);
  if (kingdee) {
    facts.kingdee = kingdee;
    const skus = (facts.gaps?.flows ?? []).flatMap((s) => s.gaps).filter((g) => g.kind === 'sku');
    if (skus.length && access && kingdee.logins.some((l) => l.ok)) {
      const kd = access.client();
      try {
        kingdee.candidates = await findCandidates(kd, skus, signal);
      } finally {
        await kd.close().catch(() => undefined);
      }
    }
  }
  return facts;
}

/**
 * The doctor: gathers facts from Kingdee and JST, runs every check and returns the report. Reads only; never
 * throws for what it finds (an unreachable system is a finding); throws only when `opts.signal` aborts.
 */
export async function runPreflight(deps: PreflightDeps, opts: PreflightOptions = {}): Promise<PreflightReport> {
  const facts = await gatherFacts(deps, opts);
  const findings = evaluate(deps.config, facts);
  return buildReport(findings, deps.now().toISOString(), facts.gaps?.days ?? 0);
}
