import { scheduleSchema, transportSettingsOf, transportsOf } from '@sync/config';
import { syncConfigSchema, type SyncConfig } from '@sync/flows';

/** What the API shows about a flow that does not live in Redis. */
export interface FlowDescriptor {
  name: string;
  title: string;
  enabled: boolean;
  everyMs: number;
  /** FBillNo prefix: the ledger keys a written document by billNoPrefix + source id. */
  billNoPrefix?: string;
  /** The JST transports of a flow that reads through Qimen (`transport: qimen | both`); each has its own cursor. */
  transports?: ('openweb' | 'qimen')[];
  /** The document flow's cutover (its own, else the top-level `cutover`), as written. */
  cutover?: string;
}

/**
 * Every flow the config schema knows (a flow missing from the file is listed as disabled), with its
 * schedule. `titles` (from the flow registry) name them for humans; without one the name is the title.
 */
export function flowDescriptorsFromConfig(config: SyncConfig, titles: Readonly<Record<string, string>> = {}): FlowDescriptor[] {
  const names = Object.keys(syncConfigSchema.shape.flows.unwrap().shape) as (keyof SyncConfig['flows'])[];
  const defaultEveryMs = scheduleSchema.parse({}).everyMs;
  return names.map((name) => {
    const settings = config.flows[name];
    return {
      name,
      title: titles[name] ?? name,
      enabled: settings?.enabled ?? false,
      everyMs: settings?.schedule.everyMs ?? defaultEveryMs,
      ...(settings && 'billNoPrefix' in settings ? { billNoPrefix: settings.billNoPrefix } : {}),
      ...(settings && transportSettingsOf(settings).transport !== 'openweb' ? { transports: transportsOf(transportSettingsOf(settings).transport) } : {}),
      ...(settings && 'cutoverBy' in settings && (settings.cutover ?? config.cutover) ? { cutover: settings.cutover ?? config.cutover } : {}),
    };
  });
}
