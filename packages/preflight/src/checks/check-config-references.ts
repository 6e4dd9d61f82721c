import { departmentKeyRefs } from '../base-data-refs';
import type { Finding } from '../report';
import type { SyncConfig } from '@sync/flows';

/** Flow settings that name a `mappings.departments` key name one that exists (else every document fails). Pure. */
export function checkConfigReferences(config: SyncConfig): Finding[] {
  return departmentKeyRefs(config)
    .filter((r) => !Object.prototype.hasOwnProperty.call(config.mappings.departments, r.key))
    .map((r) => ({
      severity: 'error' as const, check: 'config.reference' as const, path: r.path,
      message: `${r.path} names department key "${r.key}", which mappings.departments does not list: every document of the flow fails`,
      action: `add mappings.departments."${r.key}" with a Kingdee department number, or correct ${r.path}`,
    }));
}
