import { billAsModel } from './bill-render';
import { baseDataKinds, type BaseDataInput, type BaseDataRecord } from './base-data';
import { findBillForm } from './form-specs';
import { applySettingsPatch, type KingdeeSimulatorSettings } from './settings';
import { resetSimulatorState, type SimulatorState } from './simulator-state';
import type { KingdeeStats } from './stats';
import { isStoredRef, type StoredValue } from './stored-bill';

/**
 * The admin operations (NOT part of the Kingdee protocol), shared by the `/__admin/` routes and the
 * methods of the object `startKingdeeSimulator` returns.
 */
export interface AdminDocument {
  formId: string;
  id: number;
  billNo: string;
  /** Z/A/B/C/D */
  status: string;
  createdAt: number;
  modifiedAt: number;
  approvedAt?: number;
  /** The bill as a Save package with canonical keys, defaults applied and FEntryIDs. */
  model: Record<string, unknown>;
}

export interface DocumentFilter {
  billNo?: string;
  /** Matches any of the form's third-party key fields (e.g. SubHeadEntity.FThirdBillNo). */
  thirdPartyId?: string;
}

export interface KingdeeAdmin {
  /** Upserts base data (validated); returns how many records were written. Throws ZodError on bad input. */
  addBaseData(input: BaseDataInput): number;
  baseData(): Record<string, BaseDataRecord[]>;
  /** Saved bills of a form (case-insensitive FormId), oldest first; [] for unknown forms. */
  documents(formId: string, filter?: DocumentFilter): AdminDocument[];
  stats(): KingdeeStats;
  /** Answers still held back (latency, commit-then-delay): 0 once every call received has been answered. */
  heldAnswers(): number;
  /** Merges a partial settings change (latency, faults, ...). Throws ZodError on bad input. */
  setFaults(patch: unknown): KingdeeSimulatorSettings;
  /** Expires every session now; returns how many there were. */
  expireSessions(): number;
  /** Documents, sessions, stats and knobs cleared; base data re-seeded. */
  reset(): void;
}

const plain = (v: StoredValue | undefined): string | undefined => (v === undefined || v === null ? undefined : isStoredRef(v) ? v.number : typeof v === 'object' ? undefined : String(v));

export function createAdmin(state: SimulatorState): KingdeeAdmin {
  return {
    addBaseData: (input) => state.baseData.add(input),
    baseData: () => Object.fromEntries(baseDataKinds.map((k) => [k, state.baseData.list(k)])),
    documents(formId, filter = {}) {
      const spec = findBillForm(formId);
      if (!spec) return [];
      return state.docs
        .all(spec.formId)
        .filter((d) => !filter.billNo || d.billNo.toLowerCase() === filter.billNo.toLowerCase())
        .filter((d) => {
          if (!filter.thirdPartyId) return true;
          return spec.thirdPartyKeys.some(({ section, field }) => {
            const values = section === 'head' ? d.header : d.subHeads[section];
            return plain(values?.[field]) === filter.thirdPartyId;
          });
        })
        .map((d) => ({
          formId: spec.formId,
          id: d.id,
          billNo: d.billNo,
          status: d.status,
          createdAt: d.createdAt,
          modifiedAt: d.modifiedAt,
          approvedAt: d.approvedAt,
          model: billAsModel(spec, d),
        }));
    },
    stats() {
      const hw = state.queue.highWater();
      return { ...structuredClone(state.stats), concurrency: { highWater: hw.overall, perSession: hw.perKey } };
    },
    heldAnswers: () => state.sleeper.pending(),
    setFaults(patch) {
      applySettingsPatch(state.settings, patch);
      return structuredClone(state.settings);
    },
    expireSessions: () => state.sessions.expireAll(),
    reset: () => resetSimulatorState(state),
  };
}
