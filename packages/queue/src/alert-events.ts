import type { Redis } from 'ioredis';
import { z } from 'zod';
import { createCappedList } from './capped-list';
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

const alertEvents = (redis: Redis, prefix: string) => createCappedList(redis, keys.events(prefix), alertEventSchema, ALERT_EVENTS_MAX);

/** Prepends one event (validated) and trims the list to ALERT_EVENTS_MAX. Throws what Redis throws. */
export async function pushAlertEvent(redis: Redis, prefix: string, event: AlertEvent): Promise<void> {
  await alertEvents(redis, prefix).push(event);
}

/** The newest `limit` events (default 100), newest first; unreadable entries are left out. */
export async function readAlertEvents(redis: Redis, prefix: string, limit = 100): Promise<AlertEvent[]> {
  return alertEvents(redis, prefix).newest(limit);
}
