import type { AddressInfo } from 'node:net';
import { createJstApp } from './app';
import { createJstSimulatorCore, type JstSimulatorCore, type JstSimulatorOptions } from './core';

/** A running JST simulator. */
export interface JstSimulator extends JstSimulatorCore {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  port: number;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/** Starts the JST open-API simulator on host:port (default 127.0.0.1, a random port). */
export async function startJstSimulator(opts: JstSimulatorOptions = {}): Promise<JstSimulator> {
  const core = createJstSimulatorCore(opts);
  const app = createJstApp(core, { logger: opts.logger });
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return Object.assign(core, {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => (closing ??= app.close().then(() => undefined)),
  });
}
