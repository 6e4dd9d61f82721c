import { baseDataRefs } from '../base-data-refs';
import type { PreflightFacts } from '../facts';
import type { Finding } from '../report';
import { alsoAt, groupRefs, kindLabels, rowsOf, usable } from './kingdee-lookup';
import type { SyncConfig } from '@sync/flows';

const documentStatusNames: Record<string, string> = { Z: '暂存', A: '创建', B: '审核中', C: '已审核', D: '重新审核' };

/**
 * Every Kingdee number the configuration names exists, is audited (FDocumentStatus C) and is not forbidden
 * (FForbidStatus A); a bill type belongs to the form its flow writes. One finding per number, at its first
 * config path. A kind whose query failed gives one warning instead; nothing when no user could log in. Pure.
 */
export function checkBaseData(config: SyncConfig, facts: PreflightFacts): Finding[] {
  const kingdee = facts.kingdee;
  // No user could log in: checkKingdeeLogins says so; nothing was read.
  if (!kingdee || !kingdee.logins.some((l) => l.ok)) return [];
  const out: Finding[] = [];
  const failedKinds = new Set<string>();
  for (const group of groupRefs(baseDataRefs(config))) {
    const ref = group[0];
    const label = kindLabels[ref.kind];
    const rows = rowsOf(kingdee, ref.kind, ref.number);
    if (rows === undefined) {
      const lookup = kingdee.records[ref.kind];
      if (!failedKinds.has(ref.kind)) {
        failedKinds.add(ref.kind);
        out.push({
          severity: 'warning', check: 'kingdee.base-data', path: ref.path,
          message: `could not read the ${label} records from Kingdee: ${lookup && !lookup.ok ? lookup.error : 'not queried'}`,
          action: 'check that the integration user may read this base data (data permissions), then run the doctor again',
        });
      }
      continue;
    }
    const at = alsoAt(group);
    if (rows.length === 0) {
      out.push({
        severity: 'error', check: 'kingdee.base-data', path: ref.path,
        message: `${label} ${ref.number} does not exist in Kingdee${at}`,
        action: `create and audit ${label} ${ref.number} in Kingdee (or let the integration user see it: data permissions hide records silently), or correct ${ref.path}`,
      });
      continue;
    }
    if (!rows.some((r) => r.documentStatus === 'C')) {
      const status = rows[0].documentStatus;
      out.push({
        severity: 'error', check: 'kingdee.base-data', path: ref.path,
        message: `${label} ${ref.number} is not audited in Kingdee (FDocumentStatus ${status} ${documentStatusNames[status] ?? ''}, needs C 已审核)${at}`.replace(' )', ')'),
        action: `submit and audit ${label} ${ref.number} in Kingdee`,
      });
      continue;
    }
    if (!rows.some(usable)) {
      out.push({
        severity: 'error', check: 'kingdee.base-data', path: ref.path,
        message: `${label} ${ref.number} is forbidden in Kingdee (FForbidStatus B 禁用)${at}`,
        action: `enable (反禁用) ${label} ${ref.number} in Kingdee, or map another one at ${ref.path}`,
      });
      continue;
    }
    if (ref.kind === 'billType' && ref.formId) {
      const forms = rows.map((r) => r.formId).filter((f): f is string => !!f);
      if (forms.length && !forms.some((f) => f.toLowerCase() === ref.formId?.toLowerCase())) {
        out.push({
          severity: 'error', check: 'kingdee.base-data', path: ref.path,
          message: `bill type ${ref.number} belongs to form ${forms.join(', ')}, but this flow writes ${ref.formId}`,
          action: `set ${ref.path} to a bill type of ${ref.formId}`,
        });
      }
    }
  }
  return out;
}
