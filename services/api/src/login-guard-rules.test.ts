import { DEFAULT_LOGIN_GUARD, lockoutAfterFailure, lockVerdict } from './login-guard-rules';

describe('lockoutAfterFailure', () => {
  const cfg = { ...DEFAULT_LOGIN_GUARD, maxFailures: 5, lockoutMaxMs: 900_000, userLockoutMaxMs: 60_000 };
  it.each<[string, number, number, number]>([
    ['first failure', 1, 1, 0],
    ['last free failure', 5, 5, 0],
    ['first failure past the limit', 6, 6, 1000],
    ['second past the limit', 7, 7, 2000],
    ['tenth past the limit', 15, 15, 512_000],
    ['capped', 16, 16, 900_000],
    ['far past the cap', 10_000, 10_000, 900_000],
    ['guessed user, fresh address: locked at once', 1, 6, 1000],
    ['guessed user far over: capped at the user cap', 1, 500, 60_000],
    ['address over and user over: the longer wins', 12, 100, 64_000],
  ])('%s (address %i, user %i) → %i ms', (_name, address, user, ms) => {
    expect(lockoutAfterFailure({ address, user }, cfg)).toBe(ms);
  });
  it('never locks longer than lockoutMaxMs, even for a guessed user', () => {
    expect(lockoutAfterFailure({ address: 1, user: 50 }, { ...cfg, lockoutMaxMs: 5000 })).toBe(5000);
  });
});

describe('lockVerdict', () => {
  it.each<[string, number | undefined, number, ReturnType<typeof lockVerdict>]>([
    ['never locked', undefined, 1000, { locked: false }],
    ['lock ended', 1000, 1000, { locked: false }],
    ['locked 1.2 s more', 2200, 1000, { locked: true, retryAfterSeconds: 2 }],
    ['locked 1 ms more', 1001, 1000, { locked: true, retryAfterSeconds: 1 }],
  ])('%s', (_name, until, now, expected) => {
    expect(lockVerdict(until, now)).toEqual(expected);
  });
});
