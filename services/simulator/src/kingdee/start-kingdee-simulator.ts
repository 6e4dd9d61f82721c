import Fastify from 'fastify';
import { createAdmin, type KingdeeAdmin } from './admin-api';
import { adminRoutes } from './admin-routes';
import type { BaseDataStore } from './base-data';
import type { DocumentStore } from './document-store';
import { resolveOptions, type KingdeeSimulatorOptions } from './options';
import { protocolRoutes } from './protocol-routes';
import type { KingdeeSimulatorSettings } from './settings';
import { createSimulatorState } from './simulator-state';

/** A running Kingdee WebAPI simulator. */
export interface KingdeeSimulator extends KingdeeAdmin {
  /** Base URL ending in `/k3cloud/` (what KINGDEE_BASE_URL points at). */
  url: string;
  port: number;
  /** Direct access to what the simulator holds (read it; prefer the admin methods to change it). */
  store: { baseData: BaseDataStore; documents: DocumentStore };
  /** Mutable knobs: latency, faults, session idle time, ... (take effect on the next call). */
  settings: KingdeeSimulatorSettings;
  /** Stops listening, releases held answers and open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a stateful, fault-injectable stand-in for the K3Cloud WebAPI on `host:port` (default
 * 127.0.0.1, any free port), seeded with the demo base data. Throws a ZodError on invalid options.
 */
export async function startKingdeeSimulator(opts: KingdeeSimulatorOptions = {}): Promise<KingdeeSimulator> {
  const options = resolveOptions(opts);
  const state = createSimulatorState(options);
  const admin = createAdmin(state);
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 100 * 1024 * 1024 });
  await app.register(protocolRoutes, { state });
  await app.register(adminRoutes, { admin, state });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  let closed: Promise<void> | undefined;
  options.logger.info({ port }, 'kingdee simulator listening');
  return {
    ...admin,
    url: `http://${hostForUrl}:${port}/k3cloud/`,
    port,
    store: { baseData: state.baseData, documents: state.docs },
    settings: state.settings,
    close() {
      closed ??= (async () => {
        state.sleeper.abortAll();
        await app.close();
      })();
      return closed;
    },
  };
}
