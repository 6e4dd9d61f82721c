import { PermanentError } from '@sync/errors';
import { flowSource, settingsFor, type AnyDocumentFlow, type SyncConfig } from '@sync/flows';
import type { JstApi } from '@sync/jushuitan';

/**
 * Reads one JST document of a flow by its id through the endpoint's id-list filter (`io_ids`, `as_ids` …), for
 * preview by id. Resolves undefined when JST has no such document; throws PermanentError when the flow's endpoint
 * cannot be queried by id, and the JST client's classified errors otherwise.
 */
export function createJstDocumentFetcher(
  jst: Pick<JstApi, 'queryPage'>,
  flows: Record<string, AnyDocumentFlow>,
  config: SyncConfig,
): (flow: string, docId: string) => Promise<unknown | undefined> {
  return async (flowName, docId) => {
    const flow = flows[flowName];
    if (!flow) return undefined;
    const { path, idFilter } = flowSource(flow, settingsFor(config, flowName));
    if (!idFilter) throw new PermanentError('JST_REJECTED', `${flowName}: ${path} cannot be queried by document id; send the document itself`, { flow: flowName, docId });
    const page = await jst.queryPage(path, { [idFilter.key]: [docId], page_index: 1, page_size: 50 });
    return page.datas.find((row) => {
      const parsed = flow.schema.safeParse(row);
      return parsed.success && flow.docId(parsed.data) === docId;
    });
  };
}
