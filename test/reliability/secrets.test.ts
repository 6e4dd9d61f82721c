/**
 * Secrets never leak: an end-to-end sales outbound run (simulators, real Redis, poller, worker, API) in which the
 * Kingdee sessions expire and the JST access token is expired mid-run (so the clients log in again and fetch a
 * new token), with ALL log output of every service and client captured at trace level. Then the captured logs,
 * every key under the run's Redis prefix (job data, dead letters, ledger, cursors, events ...) and the API's
 * answers are searched for every secret: the JST app secret and both access tokens, the Kingdee passwords and app
 * secret, and every session id the Kingdee simulator handed out (recorded by a proxy in front of it).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoCredentials } from '@sync/simulator';
import { uniquePrefix, until } from '@sync/testing';
import { LogCapture, type System } from '../support/system';
import { FLOW, startSalesOutbound } from './harness';

/** An HTTP proxy that forwards to `target` and records every session id the server hands out. */
async function startRecordingProxy(target: string): Promise<{ url: string; sessionIds: Set<string>; close(): Promise<void> }> {
  const upstream = new URL(target);
  const sessionIds = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const text = Buffer.concat(body).toString('utf8');
            for (const c of [up.headers['set-cookie'] ?? []].flat()) {
              const m = /^\s*([^=]+)=([^;]*)/.exec(c);
              if (m && m[2].length >= 8) sessionIds.add(m[2]);
            }
            for (const m of text.matchAll(/"KDSVCSessionId"\s*:\s*"([^"]+)"/g)) sessionIds.add(m[1]);
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      out.on('error', () => { res.writeHead(502); res.end(); });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    sessionIds,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('secrets never appear in logs, Redis or API answers', () => {
  const prefix = uniquePrefix('secrets');
  const capture = new LogCapture();
  const apiToken = 'secrets-api-token-987654';
  let p: System;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let apiUrl = '';
  const apiBodies: string[] = [];
  const jstTokensSeen = new Set<string>();

  beforeAll(async () => {
    // Three attempts 50 ms apart, no scheduled poll (the test polls), and the API.
    p = await startSalesOutbound({
      prefix,
      flow: { attempts: 3, backoffMs: 50, everyMs: 3_600_000 },
      services: ['poller', 'worker', 'api'],
      logs: capture,
      faults: {
        kingdeeUrl: async (simUrl) => {
          proxy = await startRecordingProxy(simUrl);
          return proxy.url;
        },
      },
      env: { API_TOKEN: apiToken },
    });
    apiUrl = p.apiUrl;

    const prefixNo = p.config.flows[FLOW]!.billNoPrefix;
    const written = async (ids: number[]) => {
      const bills = new Set(p.kdSim.documents('SAL_OUTSTOCK').map((d) => d.billNo));
      return ids.every((id) => bills.has(`${prefixNo}${id}`)) && (await p.idle());
    };
    // Round 1; then sessions and the token expire; round 2 (with an unmapped document for a dead letter).
    const first = p.jstSim.seed({ count: 30, seed: 'secrets-1', unmappedRate: 0, statusMix: { Confirmed: 1 } }).ids;
    await p.pollOnce(FLOW);
    await until('round 1', () => written(first), 60_000, 200);
    for (const t of p.jstSim.tokens.list()) jstTokensSeen.add(t.accessToken);
    expect(p.kdSim.expireSessions()).toBeGreaterThan(0);
    expect(p.jstSim.tokens.expire()).toBeGreaterThan(0);
    const second = p.jstSim.seed({ count: 30, seed: 'secrets-2', unmappedRate: 0.1, statusMix: { Confirmed: 1 } }).ids;
    await p.pollOnce(FLOW);
    await until('round 2', async () => (await p.idle()) && (await p.deadLetters(FLOW)).length > 0, 60_000, 200);
    for (const t of p.jstSim.tokens.list()) jstTokensSeen.add(t.accessToken);

    const auth = { authorization: `Bearer ${apiToken}` };
    for (const route of ['/flows', `/dead-letters?flow=${FLOW}&limit=1000`, `/documents/${FLOW}/${second[0]}`, '/admin/queues/api/queues', `/admin/queues/api/queues?activeQueue=flow-${FLOW}&status=failed&page=1&jobsPerPage=50`, '/metrics', '/health']) {
      const res = await fetch(`${apiUrl}${route}`, { headers: auth });
      apiBodies.push(`${route} ${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
    }
  }, 180_000);

  afterAll(async () => {
    await p?.stop();
    await proxy?.close();
  });

  function secrets(): Record<string, string> {
    const out: Record<string, string> = {
      'JST app secret': demoCredentials.jst.appSecret,
      'Kingdee app secret': demoCredentials.kingdee.appSecret,
    };
    demoCredentials.kingdee.users.forEach((u, i) => (out[`Kingdee password ${i}`] = u.password));
    [...jstTokensSeen].forEach((t, i) => (out[`JST access token ${i}`] = t));
    for (const t of p.jstSim.tokens.list()) if (t.refreshToken) out[`JST refresh token ${t.refreshToken.slice(0, 4)}`] = t.refreshToken;
    [...proxy.sessionIds].forEach((s, i) => (out[`Kingdee session ${i}`] = s));
    return out;
  }

  it('really exercised re-login and token renewal, and logged the run', () => {
    expect(jstTokensSeen.size).toBeGreaterThanOrEqual(2); // the demo token and the one obtained after it expired
    expect(proxy.sessionIds.size).toBeGreaterThanOrEqual(2); // sessions before and after the expiry
    expect(capture.lines.length).toBeGreaterThan(100);
    // The clients' own loggers are in the capture too, not only the services'.
    expect(capture.text()).toContain('"component":"jst"');
    expect(capture.text()).toContain('"component":"kingdee"');
  });

  function leaks(haystack: string): string[] {
    return Object.entries(secrets()).filter(([, v]) => haystack.includes(v)).map(([k]) => k);
  }

  it('no log line of any service or client holds a secret', () => {
    expect(leaks(capture.text())).toEqual([]);
  });

  it('no Redis key under the prefix holds a secret (job data, dead letters, ledger, cursors, events)', async () => {
    const dump: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await p.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        const type = await p.redis.type(key);
        if (type === 'string') dump.push(key, (await p.redis.get(key)) ?? '');
        else if (type === 'hash') dump.push(key, JSON.stringify(await p.redis.hgetall(key)));
        else if (type === 'list') dump.push(key, JSON.stringify(await p.redis.lrange(key, 0, -1)));
        else if (type === 'set') dump.push(key, JSON.stringify(await p.redis.smembers(key)));
        else if (type === 'zset') dump.push(key, JSON.stringify(await p.redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES')));
        else if (type === 'stream') dump.push(key, JSON.stringify(await p.redis.call('XRANGE', key, '-', '+')));
      }
    } while (cursor !== '0');
    expect(dump.length).toBeGreaterThan(50);
    expect(leaks(dump.join('\n'))).toEqual([]);
  });

  it('no API answer holds a secret', () => {
    expect(apiBodies.join('\n')).toContain('dead');
    expect(leaks(apiBodies.join('\n'))).toEqual([]);
  });
});
