import { ConfigError, type DocumentFlowSettings } from '@sync/config';
import { PermanentError, isClassified } from '@sync/errors';
import { flowBills, flowContext, flowSource, reconcileDay, settingsFor, type DayReconciliation, type AnyDocumentFlow, type JstDocFacts, type KingdeeBill, type SyncConfig } from '@sync/flows';
import type { JstApi } from '@sync/jushuitan';
import { keyQueryField, type KingdeeApi } from '@sync/kingdee';
import type { Logger } from '@sync/logger';
import { type ReconciliationRecord, type ReconciliationStore, type StoredDayReconciliation } from '@sync/queue';
import { resolveCutover } from './cutover';
import { nextDay, readKingdeeBills } from './reconcile-kingdee';
import { readJstByIds, readJstSide } from './reconcile-jst';

/** Key values per ExecuteBillQuery when bills are looked up by their key field. */
const KEY_LOOKUP_BATCH = 200;

/** Differing documents kept per day in a stored result (the counts cover all of them)... */
export const MAX_DOCUMENTS_PER_DAY = 1000;
/** ...and per run, shared by its flow-days (at least 100 each), so one record stays a few MB at most. */
export const MAX_DOCUMENTS_PER_RUN = 20_000;

export interface ReconcileRunDeps {
  jst: JstApi;
  /** Absent when the poller has no KINGDEE_* settings: a run then fails with a message saying so. */
  kingdee?: Pick<KingdeeApi, 'executeBillQuery'>;
  config: SyncConfig;
  flows: Record<string, AnyDocumentFlow>;
  now: () => Date;
  logger: Logger;
}

/** Every `yyyy-MM-dd` from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 366; d = nextDay(d)) out.push(d);
  return out;
}

/** The FBillNo prefixes of the bills a flow writes under its settings (flowBills: stocktake's 盘盈单 and 盘亏单 ...). */
export function billNoPrefixes(flow: AnyDocumentFlow, settings: DocumentFlowSettings): string[] {
  return [...new Set(flowBills(flow, settings).map((bill) => bill.billNoPrefix))];
}

/** The status a flow drives its bills to: C when it audits, B when it only submits, else A. */
export function finalStatusOf(settings: Pick<DocumentFlowSettings, 'submit' | 'audit'>): string {
  return settings.audit ? 'C' : settings.submit ? 'B' : 'A';
}

/**
 * Reconciles one flow over business days [from, to]: the JST side through the flow's source (shared budget,
 * windows, paging), the Kingdee side with ExecuteBillQuery per form the flow writes, the JST documents behind
 * unexplained bills read by id, then `reconcileDay` per day. `onStep` reports progress. Throws ConfigError for a
 * flow without settings, PermanentError CONFIG_INVALID without a Kingdee client, and what the clients throw.
 */
export async function reconcileFlow(deps: ReconcileRunDeps, flowName: string, from: string, to: string, onStep: (step: string) => Promise<void> = async () => {}): Promise<DayReconciliation[]> {
  const flow = deps.flows[flowName];
  const settings = settingsFor(deps.config, flowName);
  if (!flow || !settings) throw new ConfigError(`reconciliation: flow "${flowName}" is not a document flow with settings in the config file`);
  if (!deps.kingdee) {
    throw new PermanentError('CONFIG_INVALID', 'reconciliation needs Kingdee: give the poller the KINGDEE_* settings (KINGDEE_ACCT_ID, KINGDEE_USERNAME ...)', { flow: flowName });
  }
  const now = deps.now();
  const cutover = resolveCutover(deps.config, flowName, settings, flowSource(flow, settings).businessDate);
  const side = { jst: deps.jst, flow, settings, ctx: flowContext(flowName, deps.config, now.toISOString()), now, logger: deps.logger, ...(cutover && { cutover }) };
  const rec = deps.config.reconciliation;

  await onStep('读取聚水潭');
  const facts = new Map<string, JstDocFacts>((await readJstSide(side, from, to, rec.lookaheadDays)).map((f) => [f.docId, f]));

  await onStep('读取金蝶');
  const prefixes = billNoPrefixes(flow, settings);
  const bills: KingdeeBill[] = [];
  for (const formId of [flow.target.formId, ...(flow.target.otherFormIds ?? [])]) {
    const found = await readKingdeeBills(deps.kingdee, { formId, prefixes, from, to });
    bills.push(...found);
    // Bills the account's coding rule renumbered: found by the key the writer keeps (issue 11: the configured
    // keyField holds our FBillNo; else the key field the flow declares for the form holds the JST id, or our FBillNo).
    const dflt = flow.target.keyFields[formId];
    const path = settings.keyField ?? dflt?.path;
    if (!path) continue;
    const holdsSourceId = !settings.keyField && dflt?.holds === 'source-id';
    const have = new Set(found.map((b) => b.sourceId));
    const wanted = new Map<string, string>();
    for (const f of facts.values()) {
      if (!f.ready || f.expected.kind !== 'write' || have.has(f.docId) || f.businessDate === undefined || f.businessDate < from || f.businessDate > to) continue;
      for (const e of f.expected.bills) if (e.formId === formId) wanted.set(holdsSourceId ? f.docId : e.billNo, f.docId);
    }
    const entries = [...wanted];
    for (let i = 0; i < entries.length; i += KEY_LOOKUP_BATCH) {
      const values = new Map(entries.slice(i, i + KEY_LOOKUP_BATCH));
      const byKey = await readKingdeeBills(deps.kingdee, { formId, prefixes, from, to, byKey: { queryField: keyQueryField(path), values } });
      const known = new Set(bills.map((b) => `${b.formId}:${b.id}`));
      bills.push(...byKey.filter((b) => !known.has(`${b.formId}:${b.id}`)));
    }
  }

  // A bill no ready document of its day explains: read its JST document by id to say why (cancelled, moved ...).
  const unexplained = [...new Set(bills.filter((b) => b.sourceId !== undefined && !explains(facts.get(b.sourceId), b)).map((b) => b.sourceId!))];
  if (unexplained.length) {
    await onStep('按单号读取聚水潭');
    for (const f of await readJstByIds(side, unexplained)) if (!facts.has(f.docId) || !facts.get(f.docId)!.ready) facts.set(f.docId, f);
  }

  const rules = { finalStatus: finalStatusOf(settings), excludedDocIds: rec.exclude[flowName] ?? [] };
  const jst = [...facts.values()];
  return daysBetween(from, to).map((day) => reconcileDay({ flow: flowName, day, jst, kingdee: bills.filter((b) => b.date === day), rules }));
}

function explains(doc: JstDocFacts | undefined, bill: KingdeeBill): boolean {
  return doc !== undefined && doc.ready && doc.businessDate === bill.date;
}

/** A day as stored: at most `cap` documents (the differences first), the rest counted in `omitted`. */
export function bounded(day: DayReconciliation, cap: number): StoredDayReconciliation {
  if (day.documents.length <= cap) return day;
  return { ...day, documents: day.documents.slice(0, cap), omitted: day.documents.length - cap };
}

/** Differences of a day: documents missing, extra, with other quantities or not in the final state. */
export function differencesOf(day: Pick<StoredDayReconciliation, 'counts'>): number {
  return day.counts.missing + day.counts.extra + day.counts.quantity + day.counts.status;
}

/**
 * Runs a stored reconciliation record flow by flow, saving progress after each step and the days as they finish;
 * ends `done` (with `balanced`) or `failed` (with the error's message). Records the last day per flow for
 * /metrics (the API's alert monitor reports runs that do not balance). Never throws for a failed run (the record
 * says why); throws what Redis throws.
 */
export async function runReconciliation(deps: ReconcileRunDeps & { store: ReconciliationStore }, record: ReconciliationRecord): Promise<ReconciliationRecord> {
  const flowDays = record.flows.length * daysBetween(record.from, record.to).length;
  const cap = Math.min(MAX_DOCUMENTS_PER_DAY, Math.max(100, Math.floor(MAX_DOCUMENTS_PER_RUN / Math.max(1, flowDays))));
  const rec: ReconciliationRecord = { ...record, state: 'running', startedAt: deps.now().toISOString(), days: [], progress: { flowsDone: 0, flowsTotal: record.flows.length } };
  await deps.store.save(rec);
  try {
    for (const flowName of record.flows) {
      const days = await reconcileFlow(deps, flowName, record.from, record.to, async (step) => {
        rec.progress = { ...rec.progress, flow: flowName, step };
        await deps.store.save(rec);
      });
      rec.days.push(...days.map((d) => bounded(d, cap)));
      rec.progress = { flowsDone: rec.progress.flowsDone + 1, flowsTotal: record.flows.length };
      await deps.store.save(rec);
    }
  } catch (err) {
    rec.state = 'failed';
    rec.error = isClassified(err) ? `[${err.code}] ${err.message}` : err instanceof Error ? err.message : String(err);
    rec.finishedAt = deps.now().toISOString();
    await deps.store.save(rec);
    deps.logger.error({ reconciliation: rec.id, err: rec.error }, 'reconciliation failed');
    return rec;
  }
  rec.state = 'done';
  rec.finishedAt = deps.now().toISOString();
  rec.balanced = rec.days.every((d) => d.balanced);
  await deps.store.save(rec);
  for (const flowName of record.flows) {
    const last = rec.days.filter((d) => d.flow === flowName).at(-1);
    if (!last) continue;
    await deps.store.setLast(flowName, {
      id: rec.id, day: last.day, finishedAt: rec.finishedAt, documents: last.totals.jst.documents, differences: differencesOf(last), balanced: last.balanced,
    });
  }
  deps.logger.info({ reconciliation: rec.id, balanced: rec.balanced, days: rec.days.length }, 'reconciliation done');
  return rec;
}
