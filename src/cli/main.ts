#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// Caches compiled modules on disk so later invocations start faster; imports follow it on purpose.
enableCompileCache?.();
const { run } = await import('./run.ts');

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
