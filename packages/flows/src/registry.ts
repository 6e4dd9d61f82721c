import { ConfigError, type DocumentFlowSettings as AnyDocumentFlowSettings } from '@sync/config';
import { salesOutboundFlow } from './sales-outbound.flow';
import { otherInboundFlow } from './other-inbound.flow';
import { otherOutboundFlow } from './other-outbound.flow';
import { salesReturnFlow } from './sales-return.flow';
import { purchaseInboundFlow } from './purchase-inbound.flow';
import { purchaseReturnFlow } from './purchase-return.flow';
import { transferFlow } from './transfer.flow';
import { stocktakeFlow } from './stocktake.flow';
import type { SyncConfig } from './sync-config';
import type { AnyDocumentFlow, FlowContext } from './types';

/**
 * Every document flow, by the name the config file uses: one line per flow. The config file's `flows.<name>`
 * sections are built from these entries (their `settings`, sync-config.ts), so the two cannot disagree. Through
 * AnyDocumentFlow a flow's source type is `unknown`: callers parse with `flow.schema` and pass the result on.
 */
export const flowRegistry = {
  'sales-outbound': salesOutboundFlow,
  'other-inbound': otherInboundFlow,
  'other-outbound': otherOutboundFlow,
  'sales-return': salesReturnFlow,
  'purchase-inbound': purchaseInboundFlow,
  'purchase-return': purchaseReturnFlow,
  transfer: transferFlow,
  stocktake: stocktakeFlow,
} as const satisfies Record<string, AnyDocumentFlow>;

/** Names of the JST → Kingdee document flows; the Kingdee-source flows have their own registry. */
export type FlowName = keyof typeof flowRegistry;

/** Names of every registered flow, in registry order. */
export const flowNames = Object.keys(flowRegistry) as FlowName[];

/** True when `name` is a registered flow. */
export function isFlowName(name: string): name is FlowName {
  return Object.prototype.hasOwnProperty.call(flowRegistry, name);
}

/** The flows that have settings in `config` and are not `enabled: false`, in registry order. */
export function enabledFlows(config: SyncConfig): FlowName[] {
  return flowNames.filter((name) => settingsFor(config, name)?.enabled === true);
}

/** The settings type flow `N` declares (the output of its `settings` schema). */
export type FlowSettings<N extends FlowName> = NonNullable<SyncConfig['flows'][N]>;

/**
 * `flows.<name>` of `config` (defaults filled by the flow's own `settings` schema), or undefined when the config
 * file has no such section or `name` is not a document flow (the material flow's settings: kingdeeSourceSettingsFor).
 * Typed by the flow for a literal name.
 */
export function settingsFor<N extends FlowName>(config: SyncConfig, name: N): FlowSettings<N> | undefined;
export function settingsFor(config: SyncConfig, name: string): AnyDocumentFlowSettings | undefined;
export function settingsFor(config: SyncConfig, name: string): AnyDocumentFlowSettings | undefined {
  return isFlowName(name) ? config.flows[name] : undefined;
}

/**
 * The registered flow called `name`. Callers validate the source document with `flow.schema` before
 * calling `flow.transform` on the parsed value.
 * @throws ConfigError naming the unknown flow and the known ones.
 */
export function getFlow(name: string): AnyDocumentFlow {
  if (!isFlowName(name)) {
    throw new ConfigError(`unknown flow "${name}" (known flows: ${flowNames.join(', ')})`);
  }
  return flowRegistry[name];
}

/**
 * The context a transform of flow `name` runs with: its settings and the mapping tables from `config`,
 * and the clock value `nowIso` read by the caller (transforms never read the clock).
 * @throws ConfigError when the flow is unknown or has no `flows.<name>` section in the config file.
 */
export function flowContext<N extends FlowName>(name: N, config: SyncConfig, nowIso: string): FlowContext<FlowSettings<N>>;
export function flowContext(name: string, config: SyncConfig, nowIso: string): FlowContext;
export function flowContext(name: string, config: SyncConfig, nowIso: string): FlowContext {
  if (!isFlowName(name)) {
    throw new ConfigError(`unknown flow "${name}" (known flows: ${flowNames.join(', ')})`);
  }
  const settings = settingsFor(config, name);
  if (!settings) {
    throw new ConfigError(`flow "${name}" has no settings: add a flows.${name} section to the config file (SYNC_CONFIG)`);
  }
  return { flow: name, settings, mappings: config.mappings, now: nowIso };
}
