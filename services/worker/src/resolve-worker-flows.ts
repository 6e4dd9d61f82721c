import type { SyncConfig } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { flowSettings, type AnyDocumentFlow } from './process-document';

/**
 * The flows this worker runs. `spec` is WORKER_FLOWS: `all` = every registered flow enabled in the config, or a
 * comma list of flow names, each of which must be registered and enabled. Throws PermanentError CONFIG_INVALID
 * naming the bad names (and the known ones).
 */
export function resolveWorkerFlows(spec: string, config: SyncConfig, flows: Record<string, AnyDocumentFlow>): string[] {
  const enabled = Object.keys(flows).filter((name) => flowSettings(config, name)?.enabled === true);
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'all') return enabled;
  const wanted = [...new Set(trimmed.split(',').map((s) => s.trim()).filter(Boolean))];
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
