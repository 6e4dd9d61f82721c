import { PermanentError } from '@sync/errors';
import { kingdeeSourceSettingsFor, settingsFor, type SyncConfig } from '@sync/flows';

/**
 * The flows this worker runs. `spec` is WORKER_FLOWS: `all` = every registered flow enabled in the config, or a
 * comma list of flow names, each of which must be registered and enabled; `-name` entries remove a flow (e.g.
 * `all,-sales-outbound` for a worker group that runs everything another group does not). Throws PermanentError
 * CONFIG_INVALID naming the bad names (and the known ones).
 */
export function resolveWorkerFlows(spec: string, config: SyncConfig, flows: Readonly<Record<string, unknown>>): string[] {
  // Only the names of `flows` are read: document and Kingdee-source flows alike.
  const enabled = Object.keys(flows).filter((name) => (settingsFor(config, name) ?? kingdeeSourceSettingsFor(config, name))?.enabled === true);
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'all') return enabled;
  const tokens = [...new Set(trimmed.split(',').map((s) => s.trim()).filter(Boolean))];
  const excluded = tokens.filter((t) => t.startsWith('-')).map((t) => t.slice(1));
  const unknownExcluded = excluded.filter((n) => !flows[n]);
  if (unknownExcluded.length) {
    throw new PermanentError('CONFIG_INVALID', `WORKER_FLOWS excludes unknown flow(s) ${unknownExcluded.join(', ')} (known: ${Object.keys(flows).join(', ')})`);
  }
  const included = tokens.filter((t) => !t.startsWith('-'));
  if (included.includes('all')) return enabled.filter((n) => !excluded.includes(n));
  const wanted = included.filter((n) => !excluded.includes(n));
  const unknown = wanted.filter((n) => !flows[n]);
  if (unknown.length) {
    throw new PermanentError('CONFIG_INVALID', `WORKER_FLOWS names unknown flow(s) ${unknown.join(', ')} (known: ${Object.keys(flows).join(', ')})`);
  }
  const disabled = wanted.filter((n) => !enabled.includes(n));
  if (disabled.length) {
    throw new PermanentError('CONFIG_INVALID', `WORKER_FLOWS names flow(s) ${disabled.join(', ')} that are disabled or missing in the config file`);
  }
  return wanted;
}
