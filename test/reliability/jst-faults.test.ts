/**
 * JST-side faults against the real poller and JST client, over real HTTP and Redis: rate-limit answers
 * (codes 199/200), an expired access token, HTTP 500, an HTML error page, a reset connection, JST's internal
 * error, and malformed answers injected by a small proxy in front of the simulator (invalid JSON, a 200 HTML
 * page, a success envelope without data, a page without its fields, an empty page, numbers as strings).
 * Promise proven: every failed poll throws a classified error (never an unexpected crash) that the poll status
 * records; the cursor never passes data that was not enqueued; once the faults stop, every shipped document
 * has its job (nothing skipped).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isClassified } from '@sync/errors';
import { flowRegistry, type SyncConfig } from '@sync/flows';
import { createUnlimitedCallLimiter } from '@sync/jushuitan';
import { createPollStatusStore, documentJobId, keys } from '@sync/queue';
import type { JstSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix } from '@sync/testing';
import { demoConfig, startSystem, type System } from '../support/system';
import { FLOW, printFigures } from './harness';

type ProxyFault = 'invalidJson' | 'htmlPage200' | 'noData' | 'pageWithoutFields' | 'emptyPage' | 'numbersAsStrings';
interface JstOut { io_id: number; status: string; ts: number | string }

/** Deep copy with every number turned into its decimal string. */
function stringifyNumbers(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(stringifyNumbers);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringifyNumbers(x)]));
  return v;
}

/** A proxy to `target` that applies the queued fault to the business query after `after` good calls. */
async function startFaultProxy(target: string): Promise<{ url: string; plan: (f: ProxyFault, after?: number) => void; injected: () => number; close: () => Promise<void> }> {
  const queue: { fault: ProxyFault; after: number }[] = [];
  let injected = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const isQuery = (req.url ?? '').includes('/orders/out/');
        const next = isQuery ? queue[0] : undefined;
        let fault: ProxyFault | undefined;
        if (next) {
          if (next.after > 0) next.after -= 1;
          else fault = queue.shift()!.fault;
        }
        if (fault) injected += 1;
        if (fault === 'invalidJson') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"msg":"执行成功","data":{"datas":[{"io_id":');
        if (fault === 'htmlPage200') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>维护中</title></head><body><h1>系统维护中</h1></body></html>');
        if (fault === 'noData') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"msg":"执行成功"}');
        if (fault === 'pageWithoutFields') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"msg":"执行成功","data":{"page_index":1}}');
        const upstream = await fetch(`${target}${req.url ?? ''}`, {
          method: req.method,
          headers: { 'content-type': String(req.headers['content-type'] ?? 'application/x-www-form-urlencoded') },
          body: req.method === 'GET' ? undefined : body,
        });
        let text = await upstream.text();
        if (fault === 'emptyPage' || fault === 'numbersAsStrings') {
          const json = JSON.parse(text) as { data?: { datas?: unknown[] } };
          if (fault === 'emptyPage' && json.data) json.data.datas = [];
          text = JSON.stringify(fault === 'numbersAsStrings' ? { ...json, data: stringifyNumbers(json.data) } : json);
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
      })().catch((e: Error) => res.writeHead(599).end(e.message));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    plan: (fault, after = 0) => queue.push({ fault, after }),
    injected: () => injected,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('reliability: JST faults', () => {
  const prefix = uniquePrefix('rel-jst');
  let jstSim: JstSimulator;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let system: System;

  afterAll(async () => {
    await system?.stop();
    await proxy?.close();
  });

  it('classifies every fault, records it, never moves the cursor past unread data, and skips nothing', async () => {
    const sims = await startSimulators({ jst: { rateLimit: { perSecond: 0, perMinute: 0 } } });
    jstSim = sims.jst;
    jstSim.seed({ count: 300, seed: 1313, unmappedRate: 0, batchRate: 0.3 });
    const fileConfig = demoConfig();
    const config: SyncConfig = { ...fileConfig, flows: { [FLOW]: fileConfig.flows[FLOW] } };
    // Only the poller (polled by the test), reading JST through the fault proxy with no pacing and no retry of
    // rate-limit answers in the client: every fault reaches the poll.
    system = await startSystem({
      prefix, simulators: sims, config, services: [], flows: { [FLOW]: flowRegistry[FLOW] },
      faults: { jstUrl: async (url) => (proxy = await startFaultProxy(url)).url },
      jstClient: { limiter: createUnlimitedCallLimiter(), timeoutMs: 3000, rateLimitDelays: {} },
    });
    const { poller, redis } = system;
    const statuses = createPollStatusStore(redis, prefix);
    const queue = system.queue(FLOW);

    const shipped = () => jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[];
    const hasJob = async (d: JstOut) => (await queue.getJob(documentJobId(FLOW, String(d.io_id), String(d.ts)))) !== undefined;
    /** The cursor invariant: every shipped document at or below the cursor has its job. */
    async function cursorPassedUnread(): Promise<string[]> {
      const cursor = await redis.get(keys.cursor(prefix, FLOW));
      if (cursor === null) return [];
      const passed: string[] = [];
      for (const d of shipped()) if (BigInt(d.ts) <= BigInt(cursor) && !(await hasJob(d))) passed.push(String(d.io_id));
      return passed;
    }

    type Step = { name: string; inject: () => void; after?: () => void };
    const simFault = (kind: 'http500' | 'htmlError' | 'internalError' | 'reset') => () => { jstSim.settings.faults.failNext.push(kind); };
    const steps: Step[] = [
      { name: 'rate limit (199/200)', inject: () => { jstSim.settings.rateLimit = { perSecond: 2, perMinute: 0 }; }, after: () => { jstSim.settings.rateLimit = { perSecond: 0, perMinute: 0 }; } },
      { name: 'expired token', inject: () => { jstSim.tokens.expire(); } },
      { name: 'HTTP 500', inject: simFault('http500') },
      { name: 'HTML error page (502)', inject: simFault('htmlError') },
      { name: 'connection reset', inject: simFault('reset') },
      { name: 'JST internal error (150)', inject: simFault('internalError') },
      { name: 'invalid JSON', inject: () => proxy.plan('invalidJson') },
      { name: 'HTML page with HTTP 200', inject: () => proxy.plan('htmlPage200') },
      { name: 'success without data', inject: () => proxy.plan('noData') },
      { name: 'page without its fields', inject: () => proxy.plan('pageWithoutFields') },
      { name: 'empty page', inject: () => proxy.plan('emptyPage') },
      { name: 'numbers as strings', inject: () => proxy.plan('numbersAsStrings') },
    ];

    const outcomes: { step: string; outcome: string }[] = [];
    const passedUnread: string[] = [];
    let mutation = 0;
    for (const step of steps) {
      jstSim.mutateRandomly(15, `jst-faults-${mutation++}`, { confirmRate: 0.6 }); // there is always something new to read
      step.inject();
      try {
        const res = await poller.pollOnce(FLOW);
        outcomes.push({ step: step.name, outcome: 'skipped' in res ? `skipped: ${res.skipped}` : `ok (${res.counts.enqueued} enqueued)` });
      } catch (err) {
        expect(isClassified(err)).toBe(true); // a clear, classified error, never an unexpected crash
        const code = isClassified(err) ? err.code : 'UNCLASSIFIED';
        const status = await statuses.get(FLOW);
        expect(status.lastError?.code).toBe(code); // the poll status says what went wrong
        outcomes.push({ step: step.name, outcome: `${(err as Error).name} ${code}` });
      } finally {
        step.after?.();
      }
      passedUnread.push(...(await cursorPassedUnread()).map((id) => `${step.name}: ${id}`));
    }

    // The faults stop: the next polls read everything that is left.
    for (let i = 0; i < 3; i++) await poller.pollOnce(FLOW);
    const missing: string[] = [];
    for (const d of shipped()) if (!(await hasJob(d))) missing.push(String(d.io_id));
    const failedPolls = outcomes.filter((o) => !o.outcome.startsWith('ok') && !o.outcome.startsWith('skipped'));
    for (const o of outcomes) process.stdout.write(`  ${o.step}: ${o.outcome}\n`);
    printFigures('JST faults', {
      documents: jstSim.store.list('orders-out', {}).length, shipped: shipped().length, faultsInjected: steps.length, proxyFaults: proxy.injected(),
      failedPolls: failedPolls.length, cursorPassedUnread: passedUnread, duplicates: 0, missing,
    });
    expect(failedPolls.length).toBeGreaterThanOrEqual(6); // the faults really reached the poller
    expect(outcomes.find((o) => o.step === 'numbers as strings')?.outcome).toMatch(/^ok/); // lenient parsing, not a failure
    expect(passedUnread).toEqual([]);
    expect(missing).toEqual([]);
  }, 180_000);
});
