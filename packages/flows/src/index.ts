export * from './types';
export * from './sales-outbound.flow';
export * from './registry';
export { lookupWarehouse, lookupShop, lookupSku, resolveUnit, auxPropsRef, type DocLabel } from './base-data';
export { splitLineByBatch, batchesOfLine, type ShipmentPart, type BatchedLine, type LineBatch } from './batch-lines';
export { jstDatePart } from './dates';
