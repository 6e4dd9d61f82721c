import type { PreflightFacts } from '../facts';
import type { Finding } from '../report';
import type { SyncConfig } from '@sync/flows';

const VARIABLE = /JST_QIMEN_[A-Z_]+/;

/**
 * 聚水潭·奇门: every flow reading through Qimen (`transport: qimen | both`) has Qimen credentials, and one cheap
 * call of each of their methods went through (credentials, signing, customer_id routing). Pure.
 */
export function checkQimen(_config: SyncConfig, facts: PreflightFacts): Finding[] {
  const q = facts.qimen;
  if (!q) return [];
  if ('missing' in q) {
    return [{
      severity: 'error', check: 'jst.qimen', path: 'JST_QIMEN_*',
      message: `flows ${q.flows.join(', ')} read JST through 聚水潭·奇门 but the Qimen credentials are missing: ${q.missing}`,
      action: `set JST_QIMEN_APP_KEY, JST_QIMEN_APP_SECRET and JST_QIMEN_CUSTOMER_ID (and JST_QIMEN_URL), or set flows.<flow>.transport: openweb for ${q.flows.join(', ')}`,
    }];
  }
  if ('skipped' in q) {
    return [{
      severity: 'info', check: 'doctor.skipped', path: 'JST_QIMEN_*',
      message: `the 聚水潭·奇门 route of flows ${q.flows.join(', ')} not checked: ${q.skipped}`,
      action: 'run `sync-cli doctor` against an API that has the JST_QIMEN_* settings',
    }];
  }
  return q.probes.flatMap((p): Finding[] => p.ok ? [] : [{
    severity: 'error', check: 'jst.qimen', path: VARIABLE.exec(p.hint)?.[0] ?? 'JST_QIMEN_*',
    message: `the Qimen call ${p.method} (flows ${p.flows.join(', ')}) failed: ${p.code}: ${p.message}`,
    action: p.hint,
  }]);
}
