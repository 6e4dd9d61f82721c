import { Writable } from 'node:stream';
import { loadEnv } from '@sync/config';
import type { KingdeeApi } from '@sync/kingdee';
import { createLogger } from '@sync/logger';
import type { KingdeeAccess } from './gather-kingdee';
import { preflightDepsFromEnv, startupPreflight } from './startup';
import { parseSyncConfig } from '@sync/flows';

const config = parseSyncConfig('mappings:\n  warehouses:\n    "1": { stock: CK9, stockOrg: "100" }\n', 'x.yaml');

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => Array<{ level: number; msg: string; path?: string }> } {
  const chunks: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
  const logger = createLogger({ name: 'test', level: 'info', destination });
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; path?: string }) };
}

/** A Kingdee access whose queries answer `rows` (FNumber … columns), or never answer while `hang` is set. */
function fakeAccess(rows: unknown[][], hang?: Promise<void>): KingdeeAccess & { closed: number } {
  const access = {
    closed: 0,
    users: ['u1'],
    client: (): KingdeeApi => ({
      executeBillQuery: async () => {
        if (hang) await hang;
        return rows;
      },
      close: async () => void (access.closed += 1),
    }) as unknown as KingdeeApi,
  };
  return access;
}

describe('startupPreflight (every service, at start)', () => {
  it('logs each finding as a warning and a summary, and closes the clients it opened', async () => {
    const { logger, lines } = capture();
    const access = fakeAccess([]);
    const check = startupPreflight({ config, kingdee: access, jst: { skipped: 'no JST here' }, now: () => new Date(), logger });
    await check.done;
    const logged = lines();
    expect(logged.find((l) => l.path === 'mappings.warehouses."1".stock')).toMatchObject({ level: 40, msg: expect.stringContaining('stock 仓库 CK9 does not exist in Kingdee') });
    expect(logged.find((l) => l.path === 'JST_*')).toMatchObject({ level: 30 });
    expect(logged.at(-1)?.msg).toMatch(/preflight found problems: run `sync-cli doctor`/);
    expect(access.closed).toBe(2); // the login client and the query client
  });

  it('stops at its time bound while a call hangs, says so, and never rejects', async () => {
    const { logger, lines } = capture();
    let release: () => void = () => undefined;
    const hang = new Promise<void>((resolve) => (release = resolve));
    const check = startupPreflight({ config, kingdee: fakeAccess([], hang), jst: { skipped: 'no JST here' }, now: () => new Date(), logger }, 20);
    await expect(check.done).resolves.toBeUndefined();
    expect(lines().at(-1)).toMatchObject({ level: 40, msg: expect.stringContaining('preflight stopped before it finished') });
    release();
  });

  it('reports a side without settings as not checked instead of failing', () => {
    const deps = preflightDepsFromEnv(loadEnv({}), config, {});
    expect(deps.kingdee).toEqual({ skipped: 'this process has no KINGDEE_* settings' });
    expect(deps.jst).toEqual({ skipped: 'this process has no JST_* settings' });
    expect(deps.qimen).toEqual({ missing: 'JST_QIMEN_APP_KEY, JST_QIMEN_APP_SECRET, JST_QIMEN_CUSTOMER_ID not set' });
    const qimenSet = preflightDepsFromEnv(loadEnv({ JST_QIMEN_APP_KEY: 'k', JST_QIMEN_APP_SECRET: 's', JST_QIMEN_CUSTOMER_ID: 'c' }), config, {});
    expect(qimenSet.qimen).toBeUndefined(); // credentials set, no client in this process: not checked here
    const half = preflightDepsFromEnv(loadEnv({ KINGDEE_ACCT_ID: 'a', KINGDEE_USERNAME: 'u' }), config, {});
    expect(half.kingdee).toEqual({ skipped: 'the preflight doctor with KINGDEE_AUTH=password needs KINGDEE_PASSWORD (set them, or NAME_FILE pointing at a secret file)' });
  });
});
