/** How failed logins are slowed down (from API_LOGIN_MAX_FAILURES and API_LOGIN_LOCKOUT_MAX_SECONDS). */
export interface LoginGuardConfig {
  /** Failures per address, and per user name across all addresses, that cost nothing. */
  maxFailures: number;
  /** Longest lockout an address earns by its own failures (ms). */
  lockoutMaxMs: number;
  /**
   * Longest lockout a failure earns because its user name is being guessed from elsewhere (ms). Short, because
   * the real operator mistyping once during such an attack is locked out for this long.
   */
  userLockoutMaxMs: number;
  /** Failure counts are forgotten this long after the last failure (ms). */
  windowMs: number;
}

/** First lockout (ms); each further failure doubles it up to the cap. */
export const LOGIN_BASE_DELAY_MS = 1000;

/** Defaults behind the env values: 5 free failures, lockouts 1 s doubling to 15 min (1 min for a guessed user), 1 h memory. */
export const DEFAULT_LOGIN_GUARD: LoginGuardConfig = {
  maxFailures: 5,
  lockoutMaxMs: 900_000,
  userLockoutMaxMs: 60_000,
  windowMs: 3_600_000,
};

const doubling = (over: number, capMs: number): number =>
  over <= 0 ? 0 : Math.min(capMs, LOGIN_BASE_DELAY_MS * 2 ** Math.min(over - 1, 40));

/**
 * How long (ms) the failing address is locked out after a failed login, from the failure counts that include this
 * one: `address` = failures from this address, `user` = failures naming this user from any address. Pure.
 * Past `maxFailures` the lockout doubles from 1 s with each failure. Only the address that failed is ever locked:
 * a guessed user name makes each failing address wait (capped at `userLockoutMaxMs`), but an address that presents
 * the right password is never refused because of other addresses' failures. 0 = no lockout.
 */
export function lockoutAfterFailure(counts: { address: number; user: number }, cfg: LoginGuardConfig): number {
  return Math.max(
    doubling(counts.address - cfg.maxFailures, cfg.lockoutMaxMs),
    doubling(counts.user - cfg.maxFailures, Math.min(cfg.userLockoutMaxMs, cfg.lockoutMaxMs)),
  );
}

/**
 * Whether an address may try to log in at `nowMs`, given the end of its lockout (ms since the epoch). Pure.
 * A locked address is refused whatever it sends, the right password included: otherwise a guesser would
 * still learn the password the moment it tried it.
 */
export function lockVerdict(lockedUntilMs: number | undefined, nowMs: number): { locked: false } | { locked: true; retryAfterSeconds: number } {
  if (lockedUntilMs === undefined || lockedUntilMs <= nowMs) return { locked: false };
  return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil((lockedUntilMs - nowMs) / 1000)) };
}
