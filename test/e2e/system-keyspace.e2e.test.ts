/**
 * The test system's own guard: `startSystem().stop()` fails when a key under the system's prefix was not built by
 * the keyspace module, so every e2e and reliability test also checks that no service builds a Redis key by hand.
 */
import { uniquePrefix } from '@sync/testing';
import { keys } from '@sync/queue';
import { demoConfig, startSystem } from '../support/system';

describe('startSystem: keys outside the keyspace fail the test that ran the system', () => {
  it('stops cleanly when every key comes from the keyspace', async () => {
    const prefix = uniquePrefix('e2e-keyspace-ok');
    const system = await startSystem({ prefix, config: demoConfig(), services: [] });
    await system.redis.set(keys.cursor(prefix, 'sales-outbound'), '1');
    await expect(system.stop()).resolves.toBeUndefined();
  }, 30000);

  it('rejects stop() naming a key built by hand', async () => {
    const prefix = uniquePrefix('e2e-keyspace-stray');
    const system = await startSystem({ prefix, config: demoConfig(), services: [] });
    await system.redis.set(`${prefix}:hand-made:1`, 'x');
    await expect(system.stop()).rejects.toThrow(`keys outside the keyspace (build them in packages/queue/src/keyspace.ts): ${prefix}:hand-made:1`);
  }, 30000);
});
