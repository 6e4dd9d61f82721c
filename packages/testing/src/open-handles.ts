import { createHook } from 'node:async_hooks';
import { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Timers created since trackTimers(), with where they were created (Node lists no timer among its handles). */
const timers = new Map<number, { timer: { hasRef?: () => boolean }; where: { stack?: string } }>();
let tracking = false;

/**
 * Records where every timer of this process is created, until it is cleared or has fired, so that
 * describeOpenHandles() can name a forgotten setInterval. Cheap: a stack is captured, formatted only if reported.
 */
export function trackTimers(): void {
  if (tracking) return;
  tracking = true;
  createHook({
    init(id, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      const where: { stack?: string } = {};
      Error.captureStackTrace(where);
      timers.set(id, { timer: resource as { hasRef?: () => boolean }, where });
    },
    destroy(id) {
      timers.delete(id);
    },
  }).enable();
}

function describeTimer(t: { _onTimeout?: unknown; _idleTimeout?: number; _repeat?: number | null }, stack?: string): string {
  const kind = t._repeat ? 'setInterval' : 'setTimeout';
  const fn = String(t._onTimeout).replace(/\s+/g, ' ').slice(0, 120);
  const frames = (stack ?? '').split('\n').slice(1).map((l) => l.trim()).filter((l) => !l.includes('(node:') && !l.includes('open-handles'));
  return `${kind}(${t._idleTimeout ?? '?'} ms) ${fn}${frames.length ? `\n      created ${frames.slice(0, 4).join('\n      ')}` : ''}`;
}

/** Node's list of the handles that keep the event loop alive (not typed by @types/node). */
function activeHandles(): unknown[] {
  const p = process as unknown as { _getActiveHandles?: () => unknown[] };
  return p._getActiveHandles?.() ?? [];
}

function describeHandle(h: unknown): string | undefined {
  if (h instanceof ChildProcess) return `child process pid ${h.pid ?? '?'}: ${h.spawnargs.join(' ').slice(0, 200)}`;
  if (h instanceof net.Server) {
    const a = h.address();
    return `server listening on ${typeof a === 'string' ? a : a ? `${a.address}:${a.port}` : '?'}`;
  }
  if (h instanceof net.Socket) {
    // The process's own stdio is not a leak.
    const fd = (h as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (fd !== undefined && fd >= 0 && fd <= 2) return undefined;
    if (h.remotePort !== undefined) return `socket ${h.localAddress ?? '?'}:${h.localPort ?? '?'} → ${h.remoteAddress ?? '?'}:${h.remotePort}`;
    return `socket (${h.destroyed ? 'destroyed' : 'open'}, not connected over TCP: a pipe or a child's stdio)`;
  }
  const name = (h as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof h;
  return name;
}

/**
 * What keeps this process alive: one line per handle (child processes, servers, sockets with their
 * addresses, and, after trackTimers(), referenced timers with where they were created), then Node's summary.
 * The process's own stdio and unreferenced timers are left out.
 */
export function describeOpenHandles(): string[] {
  const lines: string[] = [];
  for (const h of activeHandles()) {
    const d = describeHandle(h);
    if (d) lines.push(d);
  }
  for (const { timer, where } of timers.values()) {
    if (timer.hasRef && !timer.hasRef()) continue;
    lines.push(describeTimer(timer as Parameters<typeof describeTimer>[0], where.stack));
  }
  const info = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.() ?? [];
  const counts = new Map<string, number>();
  for (const r of info) counts.set(r, (counts.get(r) ?? 0) + 1);
  lines.push(`resources: ${[...counts].map(([k, n]) => `${k} × ${n}`).join(', ') || 'none'}`);
  return lines;
}

/**
 * Arms an unreferenced timer (it never keeps the process alive itself): if the process is still running
 * `afterMs` from now, writes what keeps it alive to stderr. Jest's global teardown calls it, so a test run that
 * does not exit names its leak; scripts/test.sh then stops it and counts a failure.
 */
export function reportOpenHandlesAfter(afterMs: number, label: string): void {
  setTimeout(() => {
    const lines = describeOpenHandles();
    process.stderr.write(`\n${label}: still running ${afterMs} ms after the last test; open handles:\n${lines.map((l) => `  - ${l}`).join('\n')}\n`);
  }, afterMs).unref();
}
