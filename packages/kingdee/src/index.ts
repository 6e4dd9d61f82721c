export * from './types';
export { createKingdeeClient } from './client';
export { clientOptionsSchema, parseClientOptions, type KingdeeClientOptions, type KingdeeUser } from './client-options';
export { kingdeeSignatureHeaders, decodeAppSecret, loginBySignSign, splitAppId, kingdeeHmac, type SignatureInput } from './signature';
export {
  classifyKingdeeFailure, isSessionLost, formatFieldErrors, sessionLostError,
  type KingdeeFailure, type KingdeeVerdict, type FailureContext,
} from './classify';
export { isDuplicateBillNo, isDuplicateBillNoErrors, isAlreadyAudited } from './duplicate-bill-no';
export {
  parseBody, findResponseStatus, interpretQueryAnswer, normalizeStatus,
  type NormalizedStatus, type ParsedBody, type QueryAnswer,
} from './envelope';
export { mapBatchResults } from './batch-results';
export { createSessionPool, type SessionPool, type SessionLease, type KingdeeSession } from './session-pool';
export { buildRequestBody, type BodyStyle, type KingdeeCallArgs } from './request-body';
export { normaliseBaseUrl, serviceUrl } from './base-url';
export { createAxiosTransport, type HttpTransport, type HttpOutcome, type HttpAnswer } from './http-transport';
export { noopKingdeeLogger, type KingdeeLogger } from './logger';
export * from './options-from-env';
export { readStockLocations, type StockLocationsRead } from './stock-locations';
export { kingdeeStatusSchema, type KingdeeStatus, type FoundBill } from './bill-status';
export { findBills, billSearchQuery, ksqlString, type BillSearch } from './bill-lookup';
export { resolveBillKey, withKeyField, keyQueryField, type BillKey, type KeyFieldDefault } from './bill-key';
export { classifyRefusal, type RefusalReason } from './refusal';
