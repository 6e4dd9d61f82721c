import { flowCutover, type DocumentFlowSettings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { businessDateTime, type SyncConfig } from '@sync/flows';
import { formatBeijingTime, parseBeijingTime } from '@sync/jushuitan';

/** A flow's cutover, parsed: documents whose date (`by`) is before `ms` are never written. */
export interface ResolvedCutover {
  /** Epoch ms. */
  ms: number;
  /** Beijing time `yyyy-MM-dd HH:mm:ss`, for logs and the API. */
  text: string;
  by: DocumentFlowSettings['cutoverBy'];
  /** The config key it comes from: `flows.<flow>.cutover` or `cutover`. */
  key: string;
  /** The flow's business date field (its source's `businessDate`). */
  field: string;
}

/**
 * The cutover of `flow` (its own, else the top-level one) or undefined when none is set. Pure.
 * @throws PermanentError CONFIG_INVALID naming the key when the value is not a date-time.
 */
export function resolveCutover(config: Pick<SyncConfig, 'cutover'>, flow: string, settings: DocumentFlowSettings, businessField: string): ResolvedCutover | undefined {
  const c = flowCutover(config, flow, settings);
  if (!c) return undefined;
  const ms = parseBeijingTime(c.at);
  if (ms === undefined) {
    throw new PermanentError('CONFIG_INVALID', `${c.key} is not a date-time: ${JSON.stringify(c.at)} (Beijing time, e.g. "2026-12-01 00:00:00")`, { flow, field: c.key });
  }
  return { ms, text: formatBeijingTime(ms), by: c.by, key: c.key, field: businessField };
}

/** The error of a flow that has neither a cursor nor a cutover: it does not start, and says what to set. */
export function noCutoverError(flow: string): PermanentError {
  return new PermanentError(
    'CONFIG_INVALID',
    `flow ${flow} has no cursor yet and no cutover, so it does not know where to start: set the top-level \`cutover\` ` +
      `(or flows.${flow}.cutover) in the config file to the go-live date-time in Beijing time, e.g. cutover: "2026-12-01 00:00:00" ` +
      '(documents dated before it were keyed by hand and are never written); then restart the poller',
    { flow, field: 'cutover' },
  );
}

/**
 * Pure: when the raw JST row's date (its business date, or `modified` with `cutoverBy: modified`) is before the
 * cutover, that date and the field it came from; undefined when it is on or after the cutover or has no readable
 * date (such a row goes on to the schema, which decides).
 */
export function beforeCutover(row: unknown, cutover: ResolvedCutover): { field: string; at: string } | undefined {
  const date = businessDateTime(row, cutover.by === 'modified' ? 'modified' : cutover.field);
  if (!date) return undefined;
  const ms = parseBeijingTime(date.at);
  return ms !== undefined && ms < cutover.ms ? date : undefined;
}
