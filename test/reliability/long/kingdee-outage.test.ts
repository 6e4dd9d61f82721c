/**
 * Long fault (about 3 minutes): Kingdee unavailable for two minutes in the middle of a run. First 60 s of
 * connection refused (a TCP relay in front of the simulator is closed, then listens again on the same port),
 * then 60 s of HTTP 500 on every call. In-process poller and worker over real HTTP and Redis.
 * Retry policy used (and recommended): attempts 10, backoffMs 1000. With the equal-jitter exponential backoff
 * the nine waits add up to at least 255 s (1+2+...+256 s, halved), so a two-minute outage is survivable with
 * room to spare. The defaults (attempts 8, backoffMs 2000) guarantee only about 127 s.
 * Promise proven: every document lands after recovery, exactly once; only the documents with real data errors
 * (an unmapped SKU) are in the dead letters.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import type { System } from '../../support/system';
import { FLOW, printFigures, sleep, startSalesOutbound, tallyKingdee } from '../harness';

interface SeededDoc { io_id: number; items: { sku_id: string }[] }

/** A TCP relay to 127.0.0.1:`targetPort` that can stop listening (connection refused) and listen again. */
async function startRelay(targetPort: number): Promise<{ port: number; down: () => Promise<void>; up: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      sockets.add(client);
      sockets.add(upstream);
      const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  };
  const down = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();
  return { port, down, up: listen, close: down };
}

describe('reliability (long): Kingdee unavailable for two minutes', () => {
  const prefix = uniquePrefix('rel-kd-outage');
  let jst: JstSimulator;
  let kd: KingdeeSimulator;
  let relay: Awaited<ReturnType<typeof startRelay>> | undefined;
  let pipeline: System | undefined;

  afterAll(async () => {
    await pipeline?.stop(); // and the simulators, and the prefix's keys
    await relay?.close();
  });

  it('writes every document after recovery; only real data errors are dead letters', async () => {
    const sims = await startSimulators({ kingdee: { latency: { perCallMs: 5 } } });
    jst = sims.jst;
    kd = sims.kingdee;
    jst.seed({ count: 300, seed: 777, unmappedRate: 0.04, batchRate: 0.3, statusMix: { Confirmed: 1 } });
    const all = jst.store.list('orders-out', {}) as unknown as SeededDoc[];
    const isUnmapped = (d: SeededDoc) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
    const ids = all.filter((d) => !isUnmapped(d)).map((d) => String(d.io_id));
    const unmapped = all.filter(isUnmapped).map((d) => String(d.io_id)).sort();
    expect(unmapped.length).toBeGreaterThan(3);

    relay = await startRelay(kd.port);
    const kdUrl = kd.url.replace(`:${kd.port}`, `:${relay.port}`);
    pipeline = await startSalesOutbound({ prefix, simulators: sims, kingdeeTimeoutMs: 3000, flow: { attempts: 10, backoffMs: 1000 }, faults: { kingdeeUrl: async () => kdUrl } });

    await until('some documents written before the outage', () => tallyKingdee(kd, ids).documents >= 30, 60_000, 50);
    const writtenBefore = tallyKingdee(kd, ids).documents;
    await relay.down(); // connection refused
    await sleep(60_000);
    await relay.up();
    kd.setFaults({ faults: { http500: { rate: 1 } } }); // reachable, but every call fails
    await sleep(60_000);
    kd.setFaults({ faults: { http500: { rate: 0 } } });
    const writtenDuringOutage = tallyKingdee(kd, ids).documents - writtenBefore;

    await until('every mapped document in Kingdee and the queue idle', async () => tallyKingdee(kd, ids).missing.length === 0 && (await pipeline!.pending()) === 0, 300_000, 1000);
    const t = tallyKingdee(kd, ids);
    const dead = (await pipeline.queue(FLOW).getFailed(0, -1)).map((j) => String(j.data.docId)).sort();
    printFigures('Kingdee down 2 min', {
      documents: all.length, outageSeconds: 120, http500Injected: kd.stats().faults.http500, writtenBefore, writtenDuringOutage,
      written: t.documents, duplicates: t.duplicates, missing: t.missing, deadLetters: dead.length, realDataErrors: unmapped.length,
    });
    expect(writtenBefore).toBeLessThan(ids.length); // the outage hit a running sync
    expect(kd.stats().faults.http500).toBeGreaterThan(0);
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.created).toBe(ids.length);
    expect(dead).toEqual(unmapped);
  }, 600_000);
});
