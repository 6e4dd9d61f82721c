/**
 * The Kingdee Cloud Galaxy (K3Cloud) WebAPI simulator: sessions and signed headers, Save/BatchSave/
 * Submit/Audit/UnAudit/Delete/View/ExecuteBillQuery with faithful envelopes, per-session serialization,
 * latency and fault injection, and an `/__admin/` interface. Shares no code with packages/kingdee.
 */
export { startKingdeeSimulator, type KingdeeSimulator } from './start-kingdee-simulator';
export type { KingdeeSimulatorOptions } from './options';
export type { KingdeeSimulatorSettings, FaultCounter, SettingsPatch } from './settings';
export type { KingdeeStats } from './stats';
export type { AdminDocument, DocumentFilter, KingdeeAdmin } from './admin-api';
export type { BaseDataInput, BaseDataKind, BaseDataRecord } from './base-data';
export { demoBaseData } from './demo-seed';
