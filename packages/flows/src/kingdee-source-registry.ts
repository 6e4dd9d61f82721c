import { ConfigError, type KingdeeSourceFlowName } from '@sync/config';
import type { KingdeeSourceFlow } from './kingdee-source-types';
import { materialFlow } from './material.flow';

/**
 * Every Kingdee → JST flow, by the name the config file uses. `satisfies Record<KingdeeSourceFlowName, …>`:
 * together with flowRegistry (which covers FlowName, the other keys) every key of the config's `flows`
 * section has exactly one registered flow. Seen through the registry a record type is `unknown`: callers
 * parse with `flow.schema` and pass the result on.
 */
export const kingdeeSourceFlows = {
  material: materialFlow as KingdeeSourceFlow<any>,
} as const satisfies Record<KingdeeSourceFlowName, KingdeeSourceFlow<any>>;

/** True when `name` is a registered Kingdee-source flow. */
export function isKingdeeSourceFlowName(name: string): name is KingdeeSourceFlowName {
  return Object.prototype.hasOwnProperty.call(kingdeeSourceFlows, name);
}

/**
 * The registered Kingdee-source flow called `name`.
 * @throws ConfigError naming the unknown flow and the known ones.
 */
export function getKingdeeSourceFlow(name: string): KingdeeSourceFlow<unknown> {
  if (!isKingdeeSourceFlowName(name)) {
    throw new ConfigError(`unknown Kingdee-source flow "${name}" (known: ${Object.keys(kingdeeSourceFlows).join(', ')})`);
  }
  return kingdeeSourceFlows[name];
}
