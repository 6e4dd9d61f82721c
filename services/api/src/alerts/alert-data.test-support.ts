/** Shared data of the alert tests (alert-rules.test.ts, alerts.int.test.ts). */
import type { DeadLetter, FlowStatus } from '../ops';
import type { AlertState } from './alert-rules';

export const letter = (docId: string, code: string, failedAt: string, flow = 'sales-outbound'): DeadLetter => ({
  flow, jobId: `${flow}-${docId}-1`, docId, version: '1', code, message: `doc ${docId} failed`, failedAt, attemptsMade: 1,
});
export const flowStatus = (over: Partial<FlowStatus> = {}): FlowStatus => ({
  name: 'sales-outbound', title: '销售出库单', enabled: true, schedule: { everyMs: 15000 }, cursor: null,
  lastPollAt: '2026-11-28T05:00:00.000Z', lastError: null, lastErrorAt: null, lastPollCounts: null,
  counts: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }, paused: false, lagSeconds: 0, writtenToday: 0, cutover: null, beforeCutover: 0, ...over,
});
export const start: AlertState = { watermark: '2026-11-28T05:00:00.000Z', stalled: [], authErrorSeen: {}, reversalWatermark: '2026-11-28T05:00:00.000Z' };
export const rules = { stallMs: 10 * 60_000, authFailures: 2 };
