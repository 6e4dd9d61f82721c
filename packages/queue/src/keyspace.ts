import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { flowQueueName, POLL_QUEUE, RECONCILE_QUEUE } from './catalog';

/**
 * Every Redis key the services write, in one place. All keys live under the BullMQ prefix (QUEUE_PREFIX), so one
 * deployment's data is `<prefix>:*` and a test cleans up by its prefix. BullMQ names its own keys
 * `<prefix>:<queue name>:…` (`keys.queue`); every other key starts with one of the family names below, none of
 * which is a queue name of the catalog (`poll`, `reconcile`, `flow-<flow>`).
 *
 * The strings are data in Redis: changing one orphans what is stored under the old name. Tests in
 * keyspace.test.ts pin them byte for byte, and keyspace.int.test.ts fails when a service writes a key that
 * none of these builders produces (keyNameOf).
 */
export const keys = {
  // ── BullMQ ──
  /** Head of BullMQ's own keys of one queue (`<prefix>:<queue>:wait`, `…:<jobId>` …); BullMQ builds the rest. */
  queue: (prefix: string, queueName: string) => `${prefix}:${queueName}`,

  // ── poller ──
  /** String: where a flow's (or a transport's, see transportCursorName) poll resumes; CursorStore. */
  cursor: (prefix: string, flow: string) => `${prefix}:cursor:${flow}`,
  /** Hash: the last poll's outcome (`lastSuccessAt`, `lastCounts`, `cursor`, `lastErrorAt`, `lastError`); PollStatusStore. */
  pollStatus: (prefix: string, flow: string) => `${prefix}:poll-status:${flow}`,
  /** Set of the ids of documents skipped because they are dated before the flow's cutover (GET /flows counts it). */
  beforeCutover: (prefix: string, flow: string) => `${prefix}:before-cutover:${flow}`,
  /** Held while one flow is polled, so a second poller replica never moves the same cursor at once. */
  pollLock: (prefix: string, flow: string) => `${prefix}:poll-lock:${flow}`,
  /** Set by an operator to stop a running resync (poll job id) between its windows or id batches; ResyncCancelStore. */
  resyncCancel: (prefix: string, jobId: string) => `${prefix}:resync-cancel:${jobId}`,
  /** String `{by, at}`, present while an operator has paused the flow; FlowPauseStore. */
  paused: (prefix: string, flow: string) => `${prefix}:paused:${flow}`,
  /**
   * Sorted set: the shared JST call log of one token (or Qimen app, `qimen-…`) and path; `tokenKey` is a hash
   * (limiterTokenKey), never the token. JstCallLimiter.
   */
  jstLimit: (prefix: string, tokenKey: string, path: string) => `${prefix}:jst-limit:${tokenKey}:${path}`,

  // ── worker ──
  /** Hash: field = FBillNo (a skipped document: its source id) → JSON LedgerEntry; Ledger. */
  ledger: (prefix: string, flow: string) => `${prefix}:ledger:${flow}`,
  /** Hash: source document id → JSON array of the bill numbers the ledger holds for it (a stocktake has two). */
  ledgerBills: (prefix: string, flow: string) => `${prefix}:ledger-bills:${flow}`,
  /** Set of the bill numbers a Save or BatchSave was sent for (written before the call): a retry looks those up first. */
  sentBills: (prefix: string, flow: string) => `${prefix}:sent:${flow}`,
  /** Held while one bill is written or reversed (RedisLock), so two jobs never write the same bill at once. */
  docLock: (prefix: string, flow: string, docId: string) => `${prefix}:lock:${flow}:${docId}`,
  /** Hash `<flow>:<formId>` → the first bill whose number Kingdee replaced (coding rule without manual numbering). */
  renumbered: (prefix: string) => `${prefix}:renumbered`,
  /** Hash: bill number → JSON reversal record of a cancelled source document. */
  reversal: (prefix: string, flow: string) => `${prefix}:reversal:${flow}`,

  // ── metrics (every process writes, the API's /metrics reads; MetricsStore) ──
  /** Hash `written|<flow>` and `failed|<flow>|<code>` → documents. */
  metricsDocs: (prefix: string) => `${prefix}:metrics:docs`,
  /** Counter of documents a flow wrote on one Beijing day (`yyyy-MM-dd`); expires after a few days. */
  metricsWrittenOnDay: (prefix: string, flow: string, day: string) => `${prefix}:metrics:written-day:${flow}:${day}`,
  /** Hash `<system>|<op>|bucket|<i>`, `…|sum`, `…|count`, `…|error|<code>`: client call latency and errors. */
  metricsCalls: (prefix: string) => `${prefix}:metrics:calls`,
  /** Hash: source (`api`, `jst`, `kingdee`) → times a rate limit answered. */
  metricsRateLimitHits: (prefix: string) => `${prefix}:metrics:rate-limit-hits`,

  // ── events, alerts, reconciliation ──
  /** Capped list (newest first) of alert events services append (reversals, dead letters …). */
  events: (prefix: string) => `${prefix}:events`,
  /** String: the alert monitor's JSON state (what it reported, watermarks). */
  alertsState: (prefix: string) => `${prefix}:alerts:state`,
  /** Held while one API replica evaluates the alert rules. */
  alertsLock: (prefix: string) => `${prefix}:alerts:lock`,
  /** String: one reconciliation run as JSON, expiring after keepDays. */
  reconciliation: (prefix: string, id: string) => `${prefix}:recon:${id}`,
  /** Sorted set: reconciliation run keys by creation time (capped). */
  reconciliationIndex: (prefix: string) => `${prefix}:recon:index`,
  /** Hash: flow → its last finished reconciliation day. */
  reconciliationLast: (prefix: string) => `${prefix}:recon:last`,

  // ── API ──
  /** Capped list (newest first) of the operators' manual actions; AuditLog. */
  audit: (prefix: string) => `${prefix}:audit`,
  /** Hash `{f: failures, until: lockout end}` of one client address; expires. */
  loginAddress: (prefix: string, address: string) => `${prefix}:login:addr:${address}`,
  /** Counter of failed logins naming one user; the name is hashed so no key carries what a guesser typed. */
  loginUser: (prefix: string, user: string) =>
    `${prefix}:login:user:${createHash('sha256').update(user, 'utf8').digest('hex').slice(0, 32)}`,
  /**
   * The API's request counter of one client (`principal:<name>` or `ip:<address>`), shared by every replica
   * (@fastify/rate-limit's Redis store); `client: ''` is the namespace the store is given.
   */
  rateLimit: (prefix: string, client: string) => `${prefix}:api-rate-limit:${client}`,
} as const;

export type KeyName = keyof typeof keys;

/**
 * A flow that reads JST through both the open API and Qimen (`transport: both`) keeps a cursor and a poll status
 * per transport, under these names in keys.cursor / keys.pollStatus. The open API keeps the flow's own cursor
 * (unchanged for flows that only use it); Qimen has its own, so each transport resumes where it stopped.
 */
export type JstTransport = 'openweb' | 'qimen';

/** Name under which the cursor store keeps `transport`'s cursor of `flow`. */
export function transportCursorName(flow: string, transport: JstTransport): string {
  return transport === 'openweb' ? flow : `${flow}@qimen`;
}

/** Name under which the poll-status store keeps `transport`'s own status of `flow` (the flow's status is the sum). */
export function transportStatusName(flow: string, transport: JstTransport): string {
  return `${flow}@${transport}`;
}

/**
 * The constant head of a builder's keys after `<prefix>:`: what two calls with different arguments share, cut back
 * to the last `:` (every argument follows a separator). A builder without arguments gives its whole key.
 */
function headOf(build: (prefix: string, ...args: string[]) => string): { head: string; exact: boolean } {
  if (build.length <= 1) return { head: build('').slice(1), exact: true };
  const a = build('', ...Array.from({ length: build.length - 1 }, () => 'a\u0001'));
  const b = build('', ...Array.from({ length: build.length - 1 }, () => 'b\u0002'));
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return { head: a.slice(1, a.lastIndexOf(':', i - 1) + 1), exact: false };
}

/** Every builder but `queue` with its head; keyNameOf matches fixed names before families that share their head. */
const FAMILIES: readonly { name: KeyName; head: string; exact: boolean }[] = (
  Object.entries(keys) as [KeyName, (prefix: string, ...args: string[]) => string][]
)
  .filter(([name]) => name !== 'queue')
  .map(([name, build]) => ({ name, ...headOf(build) }));

/** Whether `rest` (a key without `<prefix>:`) is one of BullMQ's keys of a catalog queue. */
function isQueueKey(rest: string): boolean {
  const queue = rest.split(':', 1)[0];
  return queue === POLL_QUEUE || queue === RECONCILE_QUEUE || (queue.startsWith(flowQueueName('')) && queue.length > flowQueueName('').length);
}

/**
 * Which builder produced `key` (a key under `prefix`), or undefined when none could have: a key some code wrote
 * by hand. BullMQ's keys count as `queue` when their queue is in the catalog (poll, reconcile, a flow queue).
 */
export function keyNameOf(prefix: string, key: string): KeyName | undefined {
  if (!key.startsWith(`${prefix}:`)) return undefined;
  const rest = key.slice(prefix.length + 1);
  if (isQueueKey(rest)) return 'queue';
  return FAMILIES.find((f) => f.exact && rest === f.head)?.name
    ?? FAMILIES.find((f) => !f.exact && rest.startsWith(f.head) && rest.length > f.head.length)?.name;
}


/**
 * Every key under `prefix` (SCAN, so safe on a live server), sorted by the builder that made it; `stray` are the
 * keys no builder makes. For tests and audits: a run of the services must leave `stray` empty.
 */
export async function auditKeyspace(redis: Redis, prefix: string): Promise<{ named: Map<KeyName, number>; stray: string[] }> {
  const named = new Map<KeyName, number>();
  const stray: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) {
      const name = keyNameOf(prefix, key);
      if (name === undefined) stray.push(key);
      else named.set(name, (named.get(name) ?? 0) + 1);
    }
  } while (cursor !== '0');
  return { named, stray: [...new Set(stray)].sort() };
}
