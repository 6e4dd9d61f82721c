/**
 * Counters the admin interface reports (GET /__admin/stats): calls per operation, committed saves,
 * logins, injected faults, and the concurrency high-water marks from the session queue.
 */
export interface KingdeeStats {
  /** Calls per operation name as sent in the URL, lower-cased (e.g. `save`, `executebillquery`, `validateuser`). */
  calls: Record<string, number>;
  /** Packages committed by Save/BatchSave (creates + updates). */
  saves: number;
  /** Packages received by Save/BatchSave calls, committed or refused (a re-sent bill counts here twice). */
  packagesSent: number;
  created: number;
  updated: number;
  logins: { succeeded: number; failed: number };
  sessionsCreated: number;
  /** Calls answered with MsgCode 1 (no/expired session). */
  sessionLost: number;
  faults: { http500: number; callLimit: number; commitThenDelay: number };
  concurrency: {
    /** Highest number of business calls in progress at once, over all sessions. */
    highWater: number;
    /** Per session (`<user>#<n>`): highest number of its calls in progress at once. */
    perSession: Record<string, number>;
  };
}

export type MutableStats = Omit<KingdeeStats, 'concurrency'>;

export function emptyStats(): MutableStats {
  return {
    calls: {},
    saves: 0,
    packagesSent: 0,
    created: 0,
    updated: 0,
    logins: { succeeded: 0, failed: 0 },
    sessionsCreated: 0,
    sessionLost: 0,
    faults: { http500: 0, callLimit: 0, commitThenDelay: 0 },
  };
}
