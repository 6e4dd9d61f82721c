#!/usr/bin/env node
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  env: { API_URL: process.env.API_URL, API_TOKEN: process.env.API_TOKEN },
  fetch,
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
}).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`sync-cli: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
