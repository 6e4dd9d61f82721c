import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './loader';

/** The message of the ConfigError `fn` throws; fails the test when it throws anything else or nothing. */
export function configErrorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

/**
 * A temporary directory for the calling `describe` block: made before its tests, removed after them.
 * `path(name)` is a file in it, `file(name, text)` writes one and returns its path.
 */
export function tempDir(prefix: string): { path(name: string): string; file(name: string, text: string): string } {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = (name: string): string => join(dir, name);
  return {
    path,
    file(name, text) {
      writeFileSync(path(name), text);
      return path(name);
    },
  };
}
