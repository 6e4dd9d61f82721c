import { silentLogger } from '@sync/logger';
import { buildApi } from './app';
import { authenticateRole, authCredentialsFromEnv } from './auth';
import type { ApiOps } from './ops';

describe('authenticateRole', () => {
  const creds = authCredentialsFromEnv({ API_TOKEN: 'operator-token-1', API_READONLY_TOKEN: 'readonly-token-1', API_READONLY_BASIC_USER: 'viewer', API_READONLY_BASIC_PASSWORD: 'viewer-pass-1' });
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  it.each([
    ['Bearer operator-token-1', { principal: 'token', role: 'operator' }],
    ['Bearer readonly-token-1', { principal: 'readonly-token', role: 'readonly' }],
    [basic('viewer', 'viewer-pass-1'), { principal: 'basic:viewer', role: 'readonly' }],
    [basic('viewer', 'wrong-pass-1'), undefined],
    ['Bearer readonly-token-2', undefined],
    [undefined, undefined],
  ])('%s', (header, expected) => {
    expect(authenticateRole(header, creds)).toEqual(expected);
  });

  it('refuses a read-only token equal to the operator token', () => {
    expect(() => authCredentialsFromEnv({ API_TOKEN: 'same-token-1', API_READONLY_TOKEN: 'same-token-1' })).toThrow(/must differ/);
  });
});

describe('API rate limit', () => {
  const ops = {
    flowNames: () => [],
    listFlows: async () => [],
    health: async () => ({ redis: true }),
  } as unknown as ApiOps;

  it('answers 429 with Retry-After past the limit, per credential, counts failed logins per address, leaves /health alone', async () => {
    // The in-memory store of @fastify/rate-limit reads the system clock.
    let now = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    const app = await buildApi({
      env: { API_TOKEN: 'operator-token-1', API_READONLY_TOKEN: 'readonly-token-1', API_RATE_LIMIT_PER_MIN: 3 },
      ops, queues: [], logger: silentLogger(), now: () => new Date(now),
    });
    try {
      const get = (auth?: string) => app.inject({ method: 'GET', url: '/flows', headers: auth ? { authorization: auth } : {} });
      for (let i = 0; i < 3; i += 1) expect((await get('Bearer operator-token-1')).statusCode).toBe(200);
      now = 400;
      const limited = await get('Bearer operator-token-1');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('60');
      expect(limited.json()).toEqual({ error: 'rate_limited', message: 'too many requests; retry later' });
      // Another credential has its own count.
      expect((await get('Bearer readonly-token-1')).statusCode).toBe(200);
      for (let i = 0; i < 3; i += 1) expect((await get('Bearer wrong-guess-1')).statusCode).toBe(401);
      expect((await get('Bearer wrong-guess-2')).statusCode).toBe(429);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      now = 60_000;
      expect((await get('Bearer operator-token-1')).statusCode).toBe(200);
    } finally {
      await app.close();
      clock.mockRestore();
    }
  });

  it('serves /metrics without credentials only when API_METRICS_PUBLIC is set', async () => {
    const gaugeOps = { ...ops, queueGauges: async () => [] } as unknown as ApiOps;
    for (const pub of [false, true]) {
      const app = await buildApi({ env: { API_TOKEN: 'operator-token-1', API_METRICS_PUBLIC: pub }, ops: gaugeOps, queues: [], logger: silentLogger() });
      try {
        expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(pub ? 200 : 401);
      } finally {
        await app.close();
      }
    }
  });
});
