import { createKingdeeClient } from './client';
import type { KingdeeApi } from './types';
import { saveOk, startFakeKingdee, type FakeKingdee } from './testing/fake-kingdee-server';
import { createLoginGate } from './testing/login-gate';

const users = [
  { username: 'integration', password: 'pw-1' },
  { username: 'integration2', password: 'pw-2' },
];

describe('Kingdee client: one in-flight call per session', () => {
  let server: FakeKingdee;
  let client: KingdeeApi;

  async function start(userCount: number): Promise<void> {
    const secrets = Object.fromEntries(users.map((u) => [u.username, u.password]));
    // Each answer is held back a little so that parallel requests on one session would overlap at the server.
    server = await startFakeKingdee(createLoginGate(secrets, () => ({ ...saveOk(1, 'x'), delayMs: 40 })).handler);
    client = createKingdeeClient({ baseUrl: server.url, auth: 'password', acctId: 'a', users: users.slice(0, userCount), timeoutMs: 5000 });
  }

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('one user: 5 parallel calls reach the server one at a time, on one login', async () => {
    await start(1);
    const results = await Promise.all(Array.from({ length: 5 }, () => client.save('SAL_OUTSTOCK', {})));
    expect(results).toHaveLength(5);
    expect(server.requests.filter((r) => r.op === 'ValidateUser')).toHaveLength(1);
    expect(server.maxInFlightBySession.get('sid-1')).toBe(1);
    expect(server.maxInFlight()).toBe(1);
  });

  it('two users: 5 parallel calls use both sessions, at most one each at a time', async () => {
    await start(2);
    await Promise.all(Array.from({ length: 5 }, () => client.save('SAL_OUTSTOCK', {})));
    const saves = server.requests.filter((r) => r.op === 'Save');
    const bySession = new Map<string, number>();
    for (const r of saves) bySession.set(r.sessionId ?? '-', (bySession.get(r.sessionId ?? '-') ?? 0) + 1);
    expect([...bySession.keys()].sort()).toEqual(['sid-1', 'sid-2']);
    expect([...bySession.values()].sort()).toEqual([2, 3]);
    for (const sid of ['sid-1', 'sid-2']) expect(server.maxInFlightBySession.get(sid)).toBe(1);
    expect(server.maxInFlight()).toBe(2);
  });
});
