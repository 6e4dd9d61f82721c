/**
 * Harness of the purchase end-to-end tests: the shared one (./harness) running only the one flow under test.
 * `onPage` runs after every JST page the poller reads, so a test can change documents while the poller pages.
 */
import { startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { demoConfig, fast, startE2EPipeline } from './harness';
import type { FlowName, SyncConfig } from '@sync/flows';

export { day, until } from './harness';

export interface PurchaseHarness {
  jstSim: JstSimulator;
  kdSim: KingdeeSimulator;
  config: SyncConfig;
  /** One poll of the flow, or a resync (`{ docIds }` / `{ from, to }`). */
  pollOnce(resync?: { docIds: string[] } | { from: string; to: string }): Promise<unknown>;
  deadLetters(): Promise<{ docId: string; code: string; message: string }[]>;
  /** True when the flow queue has nothing waiting, active or delayed. */
  idle(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startPurchaseHarness(
  flow: FlowName,
  prefix: string,
  seed: (jst: JstSimulator) => void,
  onPage: (jst: JstSimulator) => void,
): Promise<PurchaseHarness> {
  const jstSim = await startJstSimulator({});
  const kdSim = await startKingdeeSimulator({});
  seed(jstSim);
  const fileConfig = demoConfig();
  // Only the flow under test runs; windows end at "now" so documents changed during the test are read next poll.
  const config: SyncConfig = { ...fileConfig, flows: { [flow]: fast(fileConfig.flows[flow]!) } };
  const pipeline = await startE2EPipeline({ prefix, jstSim, kdSim, config, afterPage: () => onPage(jstSim) });
  return {
    jstSim,
    kdSim,
    config,
    pollOnce: (resync) => pipeline.pollOnce(flow, resync),
    deadLetters: () => pipeline.deadLetters(flow),
    idle: () => pipeline.idle(flow),
    stop: () => pipeline.stop(),
  };
}
