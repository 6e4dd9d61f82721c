import type { Redis } from 'ioredis';
import type { ApiOps } from '../ops';

/** How long `health()` waits for Redis to answer PING. */
const HEALTH_TIMEOUT_MS = 1000;

async function pingWithin(redis: Redis, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const ping = redis.ping().then((r) => r === 'PONG', () => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Redis reachability for GET /health: never throws. */
export function healthOps(redis: Redis): Pick<ApiOps, 'health'> {
  return { health: async () => ({ redis: await pingWithin(redis, HEALTH_TIMEOUT_MS) }) };
}
