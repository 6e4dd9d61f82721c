import { findBaseDataForm, baseDataQuerySource, viewBaseData } from './base-data-forms';
import { billQuerySource } from './bill-query-source';
import { viewBill } from './bill-render';
import { ciGet, ciGetAny, isRecord } from './case-insensitive';
import {
  batchSaveEnvelope, failureEnvelope, operationEnvelope, responseStatus, saveEnvelope, wrapForQuery,
  type KdError, type KdSuccessEntity,
} from './envelopes';
import { findBillForm } from './form-specs';
import { messages } from './messages';
import { parseQueryParams, runQuery, type QueryParams } from './query-engine';
import { formCallArgs, queryCallArgs, type ParsedBody } from './request-body';
import { saveBill, type SaveFlags } from './save-bill';
import type { SimulatorState } from './simulator-state';
import { runStatusOperation } from './status-operations';

/**
 * DynamicFormService ops over the simulator state: Save, BatchSave, Submit, Audit, UnAudit, Delete,
 * View, ExecuteBillQuery, BillQuery. Each returns the JSON body to answer (envelopes per reference §3).
 */
export const formOps = ['save', 'batchsave', 'submit', 'audit', 'unaudit', 'delete', 'view', 'executebillquery', 'billquery'] as const;
export type FormOp = (typeof formOps)[number];

export function isFormOp(op: string): op is FormOp {
  return (formOps as readonly string[]).includes(op);
}

/** Ops whose errors come back wrapped as `[[envelope]]`. */
export function isWrappedQueryOp(op: FormOp): boolean {
  return op === 'executebillquery';
}

const truthy = (v: unknown, dflt: boolean): boolean => (v === undefined || v === null || v === '' ? dflt : v === true || v === 'true' || v === 1 || v === '1');

function saveFlags(data: Record<string, unknown>): SaveFlags {
  const fields = ciGet(data, 'NeedUpDateFields');
  return {
    needUpdateFields: Array.isArray(fields) ? fields.map(String) : typeof fields === 'string' && fields.trim() ? fields.split(',').map((s) => s.trim()) : [],
    isDeleteEntry: truthy(ciGet(data, 'IsDeleteEntry'), true),
    autoSubmitAndAudit: truthy(ciGet(data, 'IsAutoSubmitAndAudit'), false),
    interationFlags: String(ciGet(data, 'InterationFlags') ?? ''),
  };
}

/**
 * Packages and their entry rows in a Save/BatchSave body (rows drive the per-line latency); zeros for other ops
 * or bad bodies.
 */
export function countPackages(op: FormOp, body: ParsedBody): { packages: number; lines: number } {
  if (op !== 'save' && op !== 'batchsave') return { packages: 0, lines: 0 };
  try {
    const { formId, data } = formCallArgs(body);
    const spec = findBillForm(formId);
    const model = ciGet(data, 'Model');
    const models = (Array.isArray(model) ? model : [model]).filter(isRecord);
    if (!spec) return { packages: models.length, lines: 0 };
    const lines = models.reduce((n, m) => {
      const rows = ciGetAny(m, [spec.entry.key, `${spec.formId}__${spec.entry.key}`]);
      return n + (Array.isArray(rows) ? rows.length : isRecord(rows) ? 1 : 0);
    }, 0);
    return { packages: models.length, lines };
  } catch {
    return { packages: 0, lines: 0 };
  }
}

function runQueryOp(state: SimulatorState, op: 'executebillquery' | 'billquery', body: ParsedBody): unknown {
  const fail = (msgCode: number, message: string): unknown => {
    const env = failureEnvelope(msgCode, message);
    return op === 'executebillquery' ? wrapForQuery(env) : env;
  };
  const parsed = parseQueryParams(queryCallArgs(body));
  if (!parsed.ok) return fail(parsed.msgCode, parsed.message);
  const params: QueryParams = parsed.params;
  const bill = findBillForm(params.formId);
  const base = bill ? undefined : findBaseDataForm(params.formId);
  const cap = state.settings.queryLimitCap;
  const result = bill ? runQuery(billQuerySource(bill, state.docs), params, cap)
    : base ? runQuery(baseDataQuerySource(base, state.baseData), params, cap)
    : undefined;
  if (!result) return fail(4, messages.formNotFound);
  if (!result.ok) return fail(result.msgCode, result.message);
  if (op === 'executebillquery') return result.rows;
  return result.rows.map((row) => Object.fromEntries(params.fieldKeys.map((k, i) => [k, row[i]])));
}

/** Executes one DynamicFormService op. Throws BodyError on an unreadable `data`. */
export function executeFormOp(state: SimulatorState, op: FormOp, body: ParsedBody): unknown {
  if (op === 'executebillquery' || op === 'billquery') return runQueryOp(state, op, body);
  const { formId, data } = formCallArgs(body);
  const now = state.options.clock();
  const spec = findBillForm(formId);

  if (op === 'view') {
    const number = ciGetAny(data, ['Number']);
    const idRaw = ciGetAny(data, ['Id']);
    const id = typeof idRaw === 'number' ? idRaw : typeof idRaw === 'string' && idRaw.trim() !== '' ? Number(idRaw) : 0;
    const key = typeof number === 'string' && number.trim() !== '' ? number.trim() : String(id);
    const notFound = failureEnvelope(10, messages.billNotFound(key));
    if (spec) {
      const doc = typeof number === 'string' && number.trim() !== '' ? state.docs.byBillNo(spec.formId, number.trim()) : state.docs.byId(spec.formId, id);
      return doc ? { Result: { ResponseStatus: responseStatus({}), Result: viewBill(spec, doc) } } : notFound;
    }
    const base = findBaseDataForm(formId);
    if (!base) return failureEnvelope(4, messages.formNotFound);
    const rec = typeof number === 'string' && number.trim() !== '' ? state.baseData.find(base.kind, number.trim()) : state.baseData.findById(base.kind, id);
    return rec ? { Result: { ResponseStatus: responseStatus({}), Result: viewBaseData(base, rec, state.baseData) } } : notFound;
  }

  if (!spec) return failureEnvelope(4, messages.formNotFound);
  const ctx = { spec, docs: state.docs, baseData: state.baseData, now, rules: state.settings };

  if (op === 'save') {
    const outcome = saveBill(ctx, ciGet(data, 'Model'), saveFlags(data));
    if (!outcome.ok) {
      const errors: KdError[] = outcome.errors.map((e) => ({ FieldName: e.fieldName, Message: e.message, DIndex: 0 }));
      return saveEnvelope({ errors, msgCode: outcome.errors[0].msgCode });
    }
    state.stats.saves++;
    state.stats[outcome.created ? 'created' : 'updated']++;
    const entity = { Id: outcome.doc.id, Number: outcome.doc.billNo, DIndex: 0 };
    return saveEnvelope({ successes: [entity] }, { id: outcome.doc.id, number: outcome.doc.billNo });
  }

  if (op === 'batchsave') {
    const raw = ciGet(data, 'Model');
    const models: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    if (models.length === 0) return batchSaveEnvelope({ errors: [{ FieldName: null, Message: messages.modelMissing, DIndex: 0 }], msgCode: 8 });
    const flags = saveFlags(data);
    const errors: KdError[] = [];
    const successes: KdSuccessEntity[] = [];
    let msgCode = 0;
    models.forEach((model, i) => {
      const outcome = saveBill(ctx, model, flags);
      if (!outcome.ok) {
        msgCode ||= outcome.errors[0].msgCode;
        errors.push(...outcome.errors.map((e) => ({ FieldName: e.fieldName, Message: e.message, DIndex: i })));
        return;
      }
      state.stats.saves++;
      state.stats[outcome.created ? 'created' : 'updated']++;
      successes.push({ Id: outcome.doc.id, Number: outcome.doc.billNo, DIndex: i });
    });
    return batchSaveEnvelope({ errors, successes, msgCode });
  }

  return operationEnvelope(runStatusOperation(ctx, op, data));
}
