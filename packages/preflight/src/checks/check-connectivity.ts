import type { PreflightFacts } from '../facts';
import type { Finding } from '../report';
import type { SyncConfig } from '@sync/flows';

/** Every configured Kingdee integration user can log in (and read). Pure. */
export function checkKingdeeLogins(_config: SyncConfig, facts: PreflightFacts): Finding[] {
  return (facts.kingdee?.logins ?? [])
    .filter((l) => !l.ok)
    .map((l) => ({
      severity: 'error' as const, check: 'kingdee.login' as const, path: 'KINGDEE_USERNAME',
      message: `Kingdee user ${l.user} cannot log in or read: ${l.error ?? 'unknown error'}`,
      action: 'check KINGDEE_ACCT_ID, the user name and its password or app secret (KINGDEE_*), and that the user is enabled and may use the WebAPI',
    }));
}

/**
 * JST: the access token works or could be renewed (no endpoint refused us for credentials), and every enabled
 * flow's endpoint answered one cheap call. Pure.
 */
export function checkJst(_config: SyncConfig, facts: PreflightFacts): Finding[] {
  const jst = facts.jst;
  if (!jst) return [];
  const out: Finding[] = [];
  const refused = jst.endpoints.filter((e) => !e.ok && e.auth);
  if (refused.length) {
    out.push({
      severity: 'error', check: 'jst.token', path: 'JST_ACCESS_TOKEN',
      message: `JST refused our credentials and the token could not be renewed: ${refused[0].error ?? 'unknown error'}`,
      action: 'check JST_APP_KEY, JST_APP_SECRET, JST_ACCESS_TOKEN / JST_REFRESH_TOKEN, the app authorisation and the IP whitelist in the JST open platform',
    });
  }
  for (const e of jst.endpoints) {
    if (e.ok || e.auth) continue;
    out.push({
      severity: 'error', check: 'jst.endpoint', path: `flows.${e.flow}`,
      message: `JST endpoint ${e.path} (flow ${e.flow}) did not answer: ${e.error ?? 'unknown error'}`,
      action: `check JST_BASE_URL and that the app may call ${e.path} (JST open platform → API permissions), or disable flows.${e.flow}`,
    });
  }
  return out;
}

/** Parts of the doctor that did not run in this process, as infos. Pure. */
export function checkSkipped(_config: SyncConfig, facts: PreflightFacts): Finding[] {
  const parts: Array<[string | undefined, string, string]> = [
    [facts.kingdeeSkipped, 'KINGDEE_*', 'Kingdee base data and logins'],
    [facts.jstSkipped, 'JST_*', 'JST token and endpoints'],
    [facts.gapsSkipped, 'flows', 'mapping gaps from real JST documents'],
  ];
  const skipped: Finding[] = parts
    .filter((p): p is [string, string, string] => p[0] !== undefined)
    .map(([why, path, what]) => ({
      severity: 'info' as const, check: 'doctor.skipped' as const, path,
      message: `${what} not checked: ${why}`,
      action: 'run `sync-cli doctor` against an API that has the JST_* and KINGDEE_* settings for the full check',
    }));
  for (const flow of facts.jstNotChecked ?? []) {
    skipped.push({
      severity: 'info', check: 'doctor.skipped', path: `flows.${flow}.transport`,
      message: `flow ${flow} reads JST only through 聚水潭·奇门 (transport: qimen): its documents are not read for mapping gaps (its Qimen route is probed: see jst.qimen)`,
      action: `watch the flow's first polls (sync-cli flows) and its dead letters`,
    });
  }
  return skipped;
}
