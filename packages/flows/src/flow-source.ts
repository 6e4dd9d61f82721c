import type { DocumentFlowSettings, QimenTransportSettings } from '@sync/config';
import type { DocumentFlow, FlowBill, FlowSourceSpec, SourceCursor } from './types';

/**
 * The JST endpoint and cursor a flow reads under `settings`: `flow.sourceFor(settings)` when the flow's source
 * is selectable, else its fixed `source`. Pure. The poller calls this instead of reading `flow.source`.
 */
export function flowSource<Settings extends DocumentFlowSettings>(flow: DocumentFlow<unknown, Settings>, settings: Settings | undefined): FlowSourceSpec {
  return settings !== undefined && flow.sourceFor ? flow.sourceFor(settings) : flow.source;
}

/**
 * The Qimen method and cursor a flow reads under its Qimen settings (`qimen.cursor`: window by default, ts once
 * rows are known to carry it), or undefined for a flow without a Qimen method. Qimen methods have no id-list
 * filter. Pure.
 */
export function qimenSource(flow: Pick<DocumentFlow<unknown>, 'qimen'>, settings: Pick<QimenTransportSettings, 'cursor'>): FlowSourceSpec | undefined {
  if (!flow.qimen) return undefined;
  const cursor: SourceCursor = settings.cursor === 'ts' ? { kind: 'ts' } : { kind: 'window', filters: flow.qimen.filters };
  return { path: flow.qimen.method, cursor, businessDate: flow.qimen.businessDate, idField: flow.qimen.idField };
}

/**
 * The bills a flow writes under `settings`: `flow.target.bills(settings)` for a flow writing several forms, else one
 * bill of its form with the settings' billType and billNoPrefix. Pure.
 */
export function flowBills<Settings extends DocumentFlowSettings>(flow: DocumentFlow<unknown, Settings>, settings: Settings): FlowBill[] {
  return flow.target.bills ? flow.target.bills(settings) : [{ formId: flow.target.formId, billType: settings.billType, billNoPrefix: settings.billNoPrefix, billTypeKey: 'billType' }];
}
