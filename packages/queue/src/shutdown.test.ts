import { EventEmitter } from 'node:events';
import { silentLogger } from '@sync/logger';
import { installShutdown } from './shutdown';

function harness(stopFns: (() => Promise<void>)[], timeoutMs = 5000) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  let onExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    onExit = resolve;
  });
  const uninstall = installShutdown(stopFns, {
    timeoutMs,
    logger: silentLogger(),
    signals,
    exit: (code) => {
      exits.push(code);
      onExit(code);
    },
  });
  return { signals, exits, exited, uninstall };
}

describe('installShutdown', () => {
  it('runs every stop step in order on SIGTERM, then exits 0', async () => {
    const order: string[] = [];
    const h = harness([async () => void order.push('worker'), async () => void order.push('redis')]);
    h.signals.emit('SIGTERM');
    expect(await h.exited).toBe(0);
    expect(order).toEqual(['worker', 'redis']);
    h.uninstall();
  });

  it('keeps going after a failing step and exits 1', async () => {
    const order: string[] = [];
    const h = harness([async () => { throw new Error('x'); }, async () => void order.push('redis')]);
    h.signals.emit('SIGINT');
    expect(await h.exited).toBe(1);
    expect(order).toEqual(['redis']);
    h.uninstall();
  });

  it('a second signal forces exit 1 while the first shutdown still runs', async () => {
    let release: () => void = () => undefined;
    const h = harness([() => new Promise<void>((r) => { release = r; })]);
    h.signals.emit('SIGTERM');
    h.signals.emit('SIGINT');
    expect(h.exits).toEqual([1]);
    release();
    await h.exited;
    h.uninstall();
  });

  it('exits 1 when the steps outlast the bound', async () => {
    let release: () => void = () => undefined;
    const h = harness([() => new Promise<void>((r) => { release = r; })], 20);
    h.signals.emit('SIGTERM');
    expect(await h.exited).toBe(1);
    release();
    h.uninstall();
  });
});
