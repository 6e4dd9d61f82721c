import { startJstSimulator, startKingdeeSimulator, type JstSimulator, type JstSimulatorOptions, type KingdeeSimulator, type KingdeeSimulatorOptions } from '@sync/simulator';

/** Both simulators, listening on 127.0.0.1 and a free port. */
export interface Simulators {
  jst: JstSimulator;
  kingdee: KingdeeSimulator;
  /** Closes both. */
  close(): Promise<void>;
}

/** Starts the JST and Kingdee simulators on port 0 with `opts` (empty: the simulators' defaults, no documents). */
export async function startSimulators(opts: { jst?: JstSimulatorOptions; kingdee?: KingdeeSimulatorOptions } = {}): Promise<Simulators> {
  const jst = await startJstSimulator(opts.jst ?? {});
  const kingdee = await startKingdeeSimulator(opts.kingdee ?? {}).catch(async (err: unknown) => {
    await jst.close();
    throw err;
  });
  return {
    jst,
    kingdee,
    close: async () => {
      await jst.close();
      await kingdee.close();
    },
  };
}
