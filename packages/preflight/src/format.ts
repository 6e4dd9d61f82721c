import type { Finding, PreflightReport } from './report';

const label = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' } as const;

/** One line: severity, config path, what is wrong, what to do (the suggestion follows, indented). Pure. */
export function formatFinding(f: Finding): string {
  const line = `${label[f.severity]} ${f.path}: ${f.message} → ${f.action}`;
  if (!f.suggestion) return line;
  return `${line}\n${f.suggestion.replace(/\n$/, '').split('\n').map((l) => `        ${l}`).join('\n')}`;
}

/** The human report: one line per finding, then a summary line. Pure. */
export function formatReport(report: PreflightReport): string {
  const { errors, warnings, infos } = report.summary;
  const scanned = report.days > 0 ? `, JST documents of the last ${report.days === 1 ? 'day' : `${report.days} days`} read` : '';
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info${scanned}: ${report.ok ? 'ready' : 'fix the errors before going live'}`;
  return [...report.findings.map(formatFinding), summary].join('\n');
}
