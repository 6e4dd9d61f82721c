import { flowQueueName } from './catalog';
import { keyNameOf, keys, transportCursorName, transportStatusName } from './keyspace';

const P = 'sync';

describe('keyspace', () => {
  // Data in Redis is found by these strings: a change here orphans what deployments stored.
  it.each([
    [keys.queue(P, flowQueueName('sales-outbound')), 'sync:flow-sales-outbound'],
    [keys.cursor(P, 'sales-outbound'), 'sync:cursor:sales-outbound'],
    [keys.cursor(P, transportCursorName('sales-outbound', 'openweb')), 'sync:cursor:sales-outbound'],
    [keys.cursor(P, transportCursorName('sales-outbound', 'qimen')), 'sync:cursor:sales-outbound@qimen'],
    [keys.pollStatus(P, transportStatusName('sales-outbound', 'openweb')), 'sync:poll-status:sales-outbound@openweb'],
    [keys.pollStatus(P, transportStatusName('sales-outbound', 'qimen')), 'sync:poll-status:sales-outbound@qimen'],
    [keys.pollStatus(P, 'sales-outbound'), 'sync:poll-status:sales-outbound'],
    [keys.beforeCutover(P, 'sales-outbound'), 'sync:before-cutover:sales-outbound'],
    [keys.pollLock(P, 'sales-outbound'), 'sync:poll-lock:sales-outbound'],
    [keys.resyncCancel(P, 'resync-x'), 'sync:resync-cancel:resync-x'],
    [keys.paused(P, 'sales-outbound'), 'sync:paused:sales-outbound'],
    [keys.jstLimit(P, 'abc', '/open/orders/out/simple/query'), 'sync:jst-limit:abc:/open/orders/out/simple/query'],
    [keys.ledger(P, 'sales-outbound'), 'sync:ledger:sales-outbound'],
    [keys.ledgerBills(P, 'sales-outbound'), 'sync:ledger-bills:sales-outbound'],
    [keys.sentBills(P, 'sales-outbound'), 'sync:sent:sales-outbound'],
    [keys.docLock(P, 'sales-outbound', 'JSTSO1'), 'sync:lock:sales-outbound:JSTSO1'],
    [keys.renumbered(P), 'sync:renumbered'],
    [keys.reversal(P, 'sales-outbound'), 'sync:reversal:sales-outbound'],
    [keys.metricsDocs(P), 'sync:metrics:docs'],
    [keys.metricsWrittenOnDay(P, 'sales-outbound', '2026-11-28'), 'sync:metrics:written-day:sales-outbound:2026-11-28'],
    [keys.metricsCalls(P), 'sync:metrics:calls'],
    [keys.metricsRateLimitHits(P), 'sync:metrics:rate-limit-hits'],
    [keys.events(P), 'sync:events'],
    [keys.alertsState(P), 'sync:alerts:state'],
    [keys.alertsLock(P), 'sync:alerts:lock'],
    [keys.reconciliation(P, 'r1'), 'sync:recon:r1'],
    [keys.reconciliationIndex(P), 'sync:recon:index'],
    [keys.reconciliationLast(P), 'sync:recon:last'],
    [keys.audit(P), 'sync:audit'],
    [keys.loginAddress(P, '198.51.100.7'), 'sync:login:addr:198.51.100.7'],
    // sha256('alice'), first 32 hex digits: the user name never appears in a key.
    [keys.loginUser(P, 'alice'), 'sync:login:user:2bd806c97f0e00af1a1fc3328fa763a9'],
    [keys.rateLimit(P, 'principal:token'), 'sync:api-rate-limit:principal:token'],
  ])('%s', (built, expected) => {
    expect(built).toBe(expected);
  });

  it('names the builder of every key it produces, and of BullMQ keys of catalog queues', () => {
    for (const [name, build] of Object.entries(keys)) {
      const args = Array.from({ length: build.length - 1 }, (_, i) => (name === 'queue' ? flowQueueName('x') : `arg${i}`));
      const key = (build as (p: string, ...a: string[]) => string)(P, ...args);
      expect([name, keyNameOf(P, name === 'queue' ? `${key}:wait` : key)]).toEqual([name, name]);
    }
    expect(keyNameOf(P, 'sync:flow-sales-outbound:12:logs')).toBe('queue');
    expect(keyNameOf(P, 'sync:poll:repeat')).toBe('queue');
    expect(keyNameOf(P, 'sync:reconcile:meta')).toBe('queue');
    expect(keyNameOf(P, 'sync:login:user:2bd806c97f0e00af1a1fc3328fa763a9')).toBe('loginUser');
    expect(keyNameOf(P, 'sync:metrics:written-day:sales-outbound:2026-11-28')).toBe('metricsWrittenOnDay');
  });

  it('names no builder for a key written by hand', () => {
    for (const stray of ['sync:my-cache:1', 'sync:metrics:other', 'sync:renumbered:x', 'sync:cursor:', 'sync:flow-', 'other:cursor:x', 'sync']) {
      expect([stray, keyNameOf(P, stray)]).toEqual([stray, undefined]);
    }
  });
});
