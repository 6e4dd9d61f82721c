import type { DocumentFlow, KingdeeSourceFlow } from '@sync/flows';

// The poller's one reference to "any registered flow", whatever its source or record type; @sync/flows is to give
// this one proper type (issue #14, "A flow owns all its facts"), then these aliases point at it.

/** Any JST-source flow of the registry. */
export type AnyFlow = DocumentFlow<any, any>;

/** Any Kingdee-source flow of the registry (material). */
export type AnyKingdeeFlow = KingdeeSourceFlow<any>;
