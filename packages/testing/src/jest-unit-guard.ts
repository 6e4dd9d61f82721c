/**
 * Jest setup of the `unit` project (jest.config.js): a unit test needs no Redis, no server and no other process.
 * While a unit test file runs, opening a TCP connection, listening on a port or starting a child process throws
 * and fails the file, naming the fix: such a test is an integration test, named `*.int.test.ts`.
 * Everything is restored after the file, because Jest may run other projects' files in the same process.
 */
import { ChildProcess } from 'node:child_process';
import net from 'node:net';

const violations: string[] = [];

function refuse(what: string): Error {
  const message = `a unit test may not ${what}: a test that needs Redis, a server or a process is an integration test (name it *.int.test.ts)`;
  violations.push(message);
  return new Error(message);
}

const originalConnect = net.Socket.prototype.connect;
const originalListen = net.Server.prototype.listen;
// ChildProcess#spawn (used by spawn, exec, execFile and fork) is not in @types/node.
const childProto = ChildProcess.prototype as unknown as { spawn: (options: { file?: string }) => void };
const originalSpawn = childProto.spawn;

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]): net.Socket {
  // net.connect() passes its normalised [options, callback] as one array argument.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  const target = first as { port?: unknown; host?: unknown; path?: unknown } | number | string;
  const where = typeof target === 'object' && target !== null ? String(target.path ?? `${String(target.host ?? 'localhost')}:${String(target.port)}`) : String(target);
  throw refuse(`open a connection (to ${where})`);
} as typeof net.Socket.prototype.connect;

net.Server.prototype.listen = function listen(): net.Server {
  throw refuse('listen on a port');
} as typeof net.Server.prototype.listen;

childProto.spawn = function spawn(options: { file?: string }): void {
  throw refuse(`start a process (${options.file ?? '?'})`);
};

afterEach(() => {
  // A library may swallow the thrown error (a client that retries): the test still fails here.
  if (violations.length) throw new Error(violations.splice(0).join('\n'));
});

afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  net.Server.prototype.listen = originalListen;
  childProto.spawn = originalSpawn;
});
