/**
 * Every message text the simulator answers with. Texts marked "verbatim" are copied from real payloads
 * quoted in reference/kingdee-api.md §3.3; the others are our guesses (the reference has no sample) and
 * are kept in the same style so a client that matches on MsgCode, not on text, is unaffected.
 */
export const messages = {
  /** verbatim (§2.3) */
  sessionLost: '会话信息已丢失，请重新登录',
  /** verbatim (§3.3, S13/S29) */
  formNotFound: '业务对象不存在',
  /** verbatim (§3.3, S27) */
  unknownField: (key: string) => `元数据中标识为${key}的字段不存在`,
  /** verbatim (§3.3, S28) */
  duplicateBillNo: (billNo: string) => `违反字段唯一性要求：编码唯一。[${billNo}]在当前系统中已经被使用。`,
  /** verbatim (§3.3, S32) */
  requiredHeader: (label: string) => `字段“${label}”是必填项`,
  /** verbatim (§3.3, S32) */
  requiredEntry: (entryLabel: string, row: number, label: string) => `单据体实体【${entryLabel}】第【${row}】行分录，【${label}】字段必录`,
  /** verbatim (§3.3, S19) */
  alreadyAudited: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，单据已经审核！`,
  /** pattern verbatim (§3.1, S19) */
  auditSucceeded: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，审核成功！`,
  /** verbatim (§3.3, S21): the negative-stock interaction prompt, accepted with InterationFlags STK_InvCheckResult */
  negativeStockInteraction: '更新库存时出现可以忽略的异常数据，是否继续？',
  /** verbatim (§2.1) */
  wrongPassword: '用户名或密码错误',
  /** observed text for a failed third-party authorisation (§2.2, S13) */
  signatureRejected: 'Fail to verify thirty passport',
  /** observed text (§2.2, S13) */
  unknownDataCenter: '当前尝试登录的数据中心无法获取到',

  // ---- guesses (no sample in the reference) ----
  alreadySubmitted: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，单据已经提交，不能重复提交！`,
  notSubmittedCannotAudit: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，单据未提交，不能审核！`,
  notAuditedCannotUnAudit: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，单据未审核，不能反审核！`,
  cannotDelete: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，单据已提交或已审核，不允许删除！`,
  cannotModify: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}，单据已提交或已审核，不允许修改！`,
  billNotFound: (key: string) => `单据“${key}”不存在或已被删除`,
  noTargets: '请指定单据编号（Numbers）或内码（Ids）',
  modelMissing: 'Model 数据包不能为空',
  noEntries: (entryLabel: string) => `单据体“${entryLabel}”至少需要录入一行分录`,
  callLimit: '当前接口调用次数超出限制，请稍后再试',
  badFilter: (detail: string) => `过滤条件语法错误：${detail}`,
  notSupported: (what: string) => `模拟器不支持此操作：${what}`,
  negativeStockForbidden: (billNo: string, stock: string) => `单据编号为“${billNo}”的单据审核失败：仓库${stock}的即时库存不足，库存组织不允许负库存。`,
  inWorkflow: (billNo: string, formName: string) => `单据编号为“${billNo}”的${formName}已启用工作流，不能直接审核，请通过工作流审批。`,
  noPermission: (formName: string, operation: 'submit' | 'audit') => `没有${formName}的${operation === 'submit' ? '提交' : '审核'}权限`,
} as const;
