import type { Mappings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import type { DocLabel } from './base-data';

/**
 * The Kingdee department a flow puts on its bills: `mappings.departments[key]` for the flow's `department`
 * setting, or undefined when the flow names none (both other in/out forms accept a bill without one).
 * @throws PermanentError UNMAPPED_BASE_DATA when the flow names a department key that is not mapped.
 */
export function flowDepartment(mappings: Mappings, key: string | undefined, who: DocLabel): string | undefined {
  if (key === undefined) return undefined;
  if (Object.prototype.hasOwnProperty.call(mappings.departments, key)) return mappings.departments[key];
  throw new PermanentError(
    'UNMAPPED_BASE_DATA',
    `${who.flow} ${who.text}: department "${key}" is not mapped (add mappings.departments."${key}" with a Kingdee department number to the config file)`,
    { flow: who.flow, docId: who.docId, field: `mappings.departments."${key}"` },
  );
}
