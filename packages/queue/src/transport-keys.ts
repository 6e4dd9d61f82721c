/**
 * Per-transport names of a flow's cursor and poll status (flows that read JST through the open API and Qimen,
 * `transport: both`). The open API keeps the flow's own cursor (unchanged for flows that only use it); Qimen has
 * its own, so each transport resumes where it stopped whatever the other did.
 */
export type JstTransport = 'openweb' | 'qimen';

/** Name under which the cursor store keeps `transport`'s cursor of `flow`. */
export function transportCursorName(flow: string, transport: JstTransport): string {
  return transport === 'openweb' ? flow : `${flow}@qimen`;
}

/** Name under which the poll-status store keeps `transport`'s own status of `flow` (the flow's status is the sum). */
export function transportStatusName(flow: string, transport: JstTransport): string {
  return `${flow}@${transport}`;
}
