import type { KingdeeFieldError } from './types';

/**
 * Why Kingdee refused to submit or audit a bill, for the reasons an operator fixes differently (kingdee-api.md §3.2,
 * §7 negative stock, §11 workflow): `permission` (MsgCode 2 没有权限), `workflow` (the bill type is under a workflow;
 * the plain Audit API refuses it since a 2023 patch), `negative-stock` (stock would go negative, or another
 * interaction prompt the call did not accept). Undefined = any other refusal.
 */
export type RefusalReason = 'permission' | 'workflow' | 'negative-stock';

const RULES: ReadonlyArray<{ reason: RefusalReason; pattern: RegExp }> = [
  { reason: 'permission', pattern: /没有.{0,30}权限|无权|权限不足|no permission/i },
  { reason: 'workflow', pattern: /工作流|审批流|流程实例|workflow/i },
  { reason: 'negative-stock', pattern: /负库存|库存不足|可以忽略的异常数据|是否继续|即时库存/ },
];

/** Classifies a refusal from its MsgCode and messages (first matching rule wins; MsgCode 2 is permission). Pure. */
export function classifyRefusal(errors: readonly Pick<KingdeeFieldError, 'message'>[], msgCode?: number): RefusalReason | undefined {
  if (msgCode === 2) return 'permission';
  const text = errors.map((e) => e.message).join('\n');
  return RULES.find((r) => r.pattern.test(text))?.reason;
}
