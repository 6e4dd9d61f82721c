import { z } from 'zod';
import { scheduleSchema } from './flow-settings';
import { kingdeeCode } from './mappings';

/** Largest number of items sent in one `/open/jushuitan/itemsku/upload` call (reference §11 leaves the limit open; 50 is safe). */
export const MAX_JST_UPLOAD_BATCH = 50;

/** Settings of a Kingdee → JST flow (material → JST item/SKU upload). */
export const kingdeeSourceFlowSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Poll interval (schedule.everyMs); the window fields of the schedule are not used by this kind. */
  schedule: scheduleSchema.default(() => scheduleSchema.parse({})),
  /**
   * Where the first poll starts when no cursor exists: a Kingdee date-time (`yyyy-MM-dd HH:mm:ss`, server
   * local time) compared with FModifyDate.
   */
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?$/, 'expected yyyy-MM-dd HH:mm:ss')
    .default('2000-01-01 00:00:00'),
  /** Rows per ExecuteBillQuery page. */
  pageSize: z.number().int().min(1).max(2000).default(500),
  /** Items per JST upload call (at most 50). */
  batchSize: z.number().int().min(1).max(MAX_JST_UPLOAD_BATCH).default(MAX_JST_UPLOAD_BATCH),
  /** How long the worker waits for more items before it uploads a partial batch (ms). */
  batchWaitMs: z.number().int().min(0).max(60000).default(500),
  /** Only materials of this use organisation (FUseOrgId.FNumber); a material allocated to several orgs exists once per org. */
  useOrg: kingdeeCode.optional(),
  /** Retry policy: attempts before a transient failure becomes a dead letter, and the first backoff delay (ms). */
  attempts: z.number().int().min(1).max(100).default(8),
  backoffMs: z.number().int().min(10).default(2000),
}).strict();
export type KingdeeSourceFlowSettings = z.infer<typeof kingdeeSourceFlowSettingsSchema>;
