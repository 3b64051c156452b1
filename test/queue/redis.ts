/**
 * A real Redis for the queue tests: Debian's `redis-server`, started on a
 * free loopback port in a temporary folder (no RDB snapshots, `--save ''`;
 * an append-only file so that a restart keeps the jobs), with a password,
 * and stopped at the end whatever happens (also when the test process exits).
 * And worker processes (`focus-stacking worker`) whose lines are collected.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The command line's script, compiled. */
export const BIN = fileURLToPath(new URL('../../bin/focus-stacking.js', import.meta.url));

/** Whether `redis-server` can be run. */
export function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether `openssl` can be run (for a TLS Redis's certificate). */
export function opensslAvailable(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/** A running redis-server. */
export interface RedisServer {
  /** `redis://:PASSWORD@127.0.0.1:PORT` (`rediss://` with TLS). */
  url: string;
  /** The port. */
  port: number;
  /** With TLS: the self-signed certificate (PEM file) that clients must trust. */
  ca?: string;
  /** The password. */
  password: string;
  /** Stop it (SIGTERM: the append-only file is flushed), then start it again on the same port and folder. */
  restart(): Promise<void>;
  /** Stop it and remove its folder. */
  stop(): Promise<void>;
}

/**
 * Start redis-server; resolves once it accepts connections.
 *
 * @param tls - Serve TLS only, with a self-signed certificate for 127.0.0.1 made by openssl.
 */
export async function startRedis(tls = false): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'focus-stacking-redis-'));
  const port = await freePort();
  const password = 'p@ss:w0rd/ü';
  const ca = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  if (tls) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', ca, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    if (made.status !== 0) throw new Error('openssl could not make a certificate');
  }
  const listen = tls ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', ca, '--tls-key-file', key, '--tls-ca-cert-file', ca, '--tls-auth-clients', 'no'] : ['--port', String(port)];
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--requirepass', password, '--daemonize', 'no', '--loglevel', 'notice'];
      const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(proc);
      child = proc;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('exit', () => {
        children.delete(proc);
        clearTimeout(timer);
        reject(new Error(`redis-server exited: ${out}`));
      });
    });
  const halt = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url: `${tls ? 'rediss' : 'redis'}://:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    ...(tls ? { ca } : {}),
    password,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A worker process and its lines. */
export interface WorkerProcess {
  child: ChildProcess;
  /** stdout and stderr, as they came. */
  output(): string;
  /** Resolves when the output matches `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  /** Resolves with the exit code (or the signal). */
  exited: Promise<number | string>;
}

/** Start `focus-stacking worker --redis URL ...args`; resolves once it takes jobs. */
export async function startWorker(url: string, args: string[], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', url, ...args], {
    env: { ...process.env, MALLOC_ARENA_MAX: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let text = '';
  const watchers = new Set<() => void>();
  const add = (d: Buffer) => {
    text += d;
    for (const w of watchers) w();
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  const waitFor = (pattern: RegExp, ms = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(text)) return;
        watchers.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`worker output did not match ${pattern} in ${ms} ms:\n${text}`));
      }, ms);
      watchers.add(check);
      check();
    });
  const worker = { child, output: () => text, waitFor, exited };
  await waitFor(/taking stack jobs from queue/);
  return worker;
}

/** Kill every process these helpers started that still runs. */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}
