import type { DocumentFlowSettings } from '@sync/config';
import type { DocumentFlow, FlowSourceSpec } from './types';

/**
 * The JST endpoint and cursor a flow reads under `settings`: `flow.sourceFor(settings)` when the flow's source
 * is selectable, else its fixed `source`. Pure. The poller calls this instead of reading `flow.source`.
 */
export function flowSource<Settings extends DocumentFlowSettings>(
  // Any flow of the registry, whatever its source type.
  flow: DocumentFlow<any, Settings>,
  settings: Settings | undefined,
): FlowSourceSpec {
  return settings !== undefined && flow.sourceFor ? flow.sourceFor(settings) : flow.source;
}
