#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { main } from '../lib/cli/index.js';

/**
 * glibc gives each thread that allocates (libvips's decoders, libuv's pool)
 * a malloc arena of its own and keeps the decoded frames' freed memory in
 * them, so that a long stack's RSS creeps up frame after frame; two arenas
 * keep it flat. The variable only works from the start of the process: set
 * it and run again, unless it is set already (by the user, or by this).
 */
if (process.platform === 'linux' && process.env.MALLOC_ARENA_MAX === undefined) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
} else {
  process.exitCode = await main(process.argv.slice(2));
}
