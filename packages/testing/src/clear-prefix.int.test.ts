import { Redis } from 'ioredis';
import { clearPrefix } from './clear-prefix';
import { testRedisUrl, uniquePrefix } from './test-redis';

describe('clearPrefix', () => {
  it('deletes every key under the prefix and nothing else', async () => {
    const prefix = uniquePrefix('clear');
    const other = `${prefix}-other`;
    const redis = new Redis(testRedisUrl());
    try {
      for (let i = 0; i < 1500; i++) await redis.set(`${prefix}:k${i}`, 'x');
      await redis.set(`${other}:kept`, 'y');
      await clearPrefix(testRedisUrl(), prefix);
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
      expect(await redis.get(`${other}:kept`)).toBe('y');
    } finally {
      await redis.del(`${other}:kept`);
      await redis.quit();
    }
  });
});
