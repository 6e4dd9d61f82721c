import { checkBaseData } from './checks/check-base-data';
import { checkConfigReferences } from './checks/check-config-references';
import { checkJst, checkKingdeeLogins, checkSkipped } from './checks/check-connectivity';
import { checkQimen } from './checks/check-qimen';
import { checkMappingGaps } from './checks/check-mapping-gaps';
import { checkMaterialFlags } from './checks/check-material-flags';
import { checkStockOrganisations } from './checks/check-stock-organisation';
import { checkStockLocations } from './checks/check-stock-locations';
import type { PreflightFacts } from './facts';
import type { Finding } from './report';
import type { SyncConfig } from '@sync/flows';

/** A check: pure, from the configuration and the gathered facts to findings. */
export type PreflightCheck = (config: SyncConfig, facts: PreflightFacts) => Finding[];

/** Every check, in the order their findings are listed within a severity. Adding a check is one line here. */
export const preflightChecks: readonly PreflightCheck[] = [
  checkKingdeeLogins,
  checkJst,
  checkQimen,
  checkConfigReferences,
  checkBaseData,
  checkStockOrganisations,
  checkMaterialFlags,
  checkStockLocations,
  checkMappingGaps,
  checkSkipped,
];

/** Runs every check over the facts. Pure: no I/O, no clock. */
export function evaluate(config: SyncConfig, facts: PreflightFacts, checks: readonly PreflightCheck[] = preflightChecks): Finding[] {
  return checks.flatMap((check) => check(config, facts));
}
