import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './keyspace';

/**
 * Alert events: a capped Redis list (keys.events, newest first) that services append to and the alert
 * notifier reads. Events carry document ids and readable messages, never a secret or a source payload.
 */
export const alertEventSchema = z.object({
  type: z.enum(['reversal', 'dead-letter', 'auth-failure', 'stalled-flow']),
  flow: z.string(),
  docId: z.string().optional(),
  /** ISO time of the event. */
  at: z.string(),
  message: z.string(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

/** Longest the list grows; older events are trimmed. */
export const ALERT_EVENTS_MAX = 10_000;

/** Prepends one event (validated) and trims the list to ALERT_EVENTS_MAX. Throws what Redis throws. */
export async function pushAlertEvent(redis: Redis, prefix: string, event: AlertEvent): Promise<void> {
  const valid = alertEventSchema.parse(event);
  const key = keys.events(prefix);
  await redis.multi().lpush(key, JSON.stringify(valid)).ltrim(key, 0, ALERT_EVENTS_MAX - 1).exec();
}

/** The newest `limit` events (default 100), newest first; unreadable entries are left out. */
export async function readAlertEvents(redis: Redis, prefix: string, limit = 100): Promise<AlertEvent[]> {
  const raw = await redis.lrange(keys.events(prefix), 0, limit - 1);
  const out: AlertEvent[] = [];
  for (const r of raw) {
    try {
      const parsed = alertEventSchema.safeParse(JSON.parse(r));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // not JSON: skip
    }
  }
  return out;
}
