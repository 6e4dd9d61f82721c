import { z } from 'zod';
import { documentFlowSettingsSchema } from './flow-settings';
import { kingdeeCode, mappingsSchema } from './mappings';

/**
 * The flows/mapping file (YAML or JSON), path from `SYNC_CONFIG`. Secrets never live here: they come
 * from the environment (see env.ts). Every flow key is optional; a missing flow is disabled.
 */
export const syncConfigSchema = z.object({
  flows: z
    .object({
      'sales-outbound': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('XSCKD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTSO'),
        })
        .optional(),
    })
    .strict()
    .default({}),
  mappings: mappingsSchema.default(() => mappingsSchema.parse({})),
}).strict();
export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type FlowName = keyof SyncConfig['flows'];
