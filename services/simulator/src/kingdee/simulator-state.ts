import { createBaseDataStore, type BaseDataStore } from './base-data';
import { createDocumentStore, type DocumentStore } from './document-store';
import type { ResolvedOptions } from './options';
import { createSessionQueue, type SessionQueue } from './session-queue';
import { createSessionStore, type SessionStore } from './session-store';
import { defaultSettings, type KingdeeSimulatorSettings } from './settings';
import { createSleeper, type Sleeper } from './sleep';
import { emptyStats, type MutableStats } from './stats';

/** Everything one simulator instance holds; handlers receive it as an argument (no module state). */
export interface SimulatorState {
  options: ResolvedOptions;
  settings: KingdeeSimulatorSettings;
  baseData: BaseDataStore;
  docs: DocumentStore;
  sessions: SessionStore;
  queue: SessionQueue;
  stats: MutableStats;
  sleeper: Sleeper;
}

export function createSimulatorState(options: ResolvedOptions): SimulatorState {
  const settings = defaultSettings({ sessionIdleSeconds: options.sessionIdleSeconds, latency: options.latency });
  const baseData = createBaseDataStore(options.clock);
  if (options.seed) baseData.add(options.seed);
  return {
    options,
    settings,
    baseData,
    docs: createDocumentStore(),
    sessions: createSessionStore(options.clock, () => settings.sessionIdleSeconds),
    queue: createSessionQueue(),
    stats: emptyStats(),
    sleeper: createSleeper(),
  };
}

/** Back to a fresh server: documents, sessions, stats and knobs cleared, base data re-seeded. */
export function resetSimulatorState(state: SimulatorState): void {
  const fresh = defaultSettings({ sessionIdleSeconds: state.options.sessionIdleSeconds, latency: state.options.latency });
  Object.assign(state.settings, fresh);
  state.docs.clear();
  state.sessions.clear();
  state.queue.reset();
  state.baseData.clear();
  if (state.options.seed) state.baseData.add(state.options.seed);
  Object.assign(state.stats, emptyStats());
}
