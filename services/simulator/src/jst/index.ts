/**
 * The JST (聚水潭) new-OpenAPI simulator: a stateful, fault-injectable stand-in written from
 * shared/reference/jushuitan-api.md, sharing no code with packages/jushuitan.
 */
export { startJstSimulator, type JstSimulator } from './simulator';
export { createJstApp } from './app';
export {
  createJstSimulatorCore,
  JST_ENDPOINTS,
  JST_KINDS,
  type JstSimulatorCore,
  type JstSimulatorInternals,
  type JstSimulatorOptions,
  type SeedOrdersOutOptions,
} from './core';
export { createJstStore, JstStoreError, type JstDoc, type JstKindDefinition, type JstStore, type MutateChange, type OrderedPage } from './store';
export type { JstEndpoint, JstEndpointContext } from './endpoint';
export {
  generateOrdersOut,
  defaultOrdersOutCatalog,
  DEFAULT_STATUS_MIX,
  type OrdersOutCatalog,
  type OrdersOutGeneratorOptions,
} from './sales-outbound-generator';
export * from './sales-outbound';
export * from './sales-return';
export { generateSalesReturns, defaultSalesReturnCatalog, type SalesReturnCatalog, type SalesReturnGeneratorOptions, type GeneratedSalesReturns } from './sales-return-generator';
export { aftersaleReceivedQueryEndpoint, refundSingleQueryEndpoint } from './aftersale-queries';
export { JST_SEEDERS } from './core';
export type { JstSeeder, SeedKindOptions, SeedContext } from './seed-kind';
export { mutateRandomly, type MutateRandomlyOptions } from './mutate-randomly';
export { FAULT_KINDS, type JstFaultKind, type JstFaultSettings, type JstSimulatorSettings, type LatencySetting, type JstSettingsPatch } from './settings';
export type { JstStats } from './stats';
export type { RateLimits } from './rate-limiter';
export type { JstApp } from './protocol';
export type { InitialJstToken, JstTokenGrant, TokenRegistry } from './token-registry';
export { JST_CODES } from './error-codes';
export { formatBeijing, parseBeijing } from './beijing-time';
export { createPrng, type Prng } from './prng';
export { ADMIN_PREFIX } from './admin-routes';
export { INIT_TOKEN_PATH, REFRESH_TOKEN_PATH } from './protocol-routes';
export { ordersOutQueryEndpoint } from './orders-out-query';
export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './query-page';
export * from './itemsku-upload';
export * from './other-inout';
export * from './purchase';
export { purchaseInQueryEndpoint, purchaseOutQueryEndpoint, purchaseInQuerySchema, purchaseOutQuerySchema } from './purchase-queries';
export { generatePurchaseIn, generatePurchaseOut, purchaseSeeders, defaultPurchaseCatalog, DEFAULT_PURCHASE_IN_MIX, DEFAULT_PURCHASE_OUT_MIX, type PurchaseGeneratorOptions, type PurchaseCatalog } from './purchase-generator';
export { otherInOutQueryEndpoint, otherInOutQuerySchema } from './other-inout-query';
export { generateOtherInOut, defaultOtherInOutCatalog, type OtherInOutGeneratorOptions, type OtherInOutCatalog, type OtherInOutDraft } from './other-inout-generator';
export * from './inventory-docs';
export { allocateQueryEndpoint, inventoryCountQueryEndpoint, allocateQuerySchema, inventoryCountQuerySchema } from './inventory-queries';
export { generateTransfers, generateStocktakes, defaultInventoryCatalog, type InventoryCatalog, type InventoryGeneratorOptions, type TransferGeneratorOptions, type StocktakeGeneratorOptions } from './inventory-generator';
export { inventorySeeders } from './inventory-seed';
export { QIMEN_ROUTER_PATHS, JST_TARGET_APP_KEY, qimenStatsPath } from './qimen-routes';
export { QIMEN_SALEOUT_METHOD, QIMEN_REFUND_METHOD, QIMEN_MAX_PAGE_SIZE } from './qimen-methods';
export { SHOP_CHANNELS, QIMEN_ENVELOPES, type ShopChannel, type QimenEnvelope, type QimenSimulatorSettings } from './settings';
