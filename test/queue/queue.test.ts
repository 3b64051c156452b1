// Workers on BullMQ against a real redis-server (Debian package redis-server): many stacks over two
// worker processes, a worker killed mid-job, a bad stack, SIGTERM, a Redis restart. Skipped without it.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeExecutors } from '../../lib/parallel/index.js';
import { createWorker, stackQueue, type StackQueue } from '../../lib/queue/index.js';
import { removeScratch, runCli, scratchDir } from '../helpers/cli.js';
import { writeStacks } from '../batch/frames.js';
import { BIN, killAll, opensslAvailable, redisAvailable, startRedis, startWorker, type RedisServer, type WorkerProcess } from './redis.js';

const available = redisAvailable();
let redis: RedisServer | undefined;
let dir = '';
let stacks: string[] = [];
/** `stack` run in this process on each stack folder: the reference bytes. */
const reference = new Map<string, Buffer>();
// Short locks, so that a dead worker's job is taken again within seconds (long enough for a loaded 2-core machine).
const FAST = ['--lock-duration', '4000', '--stalled-interval', '1000'];

async function expected(folder: string): Promise<Buffer> {
  const name = folder.split('/').pop()!;
  let bytes = reference.get(name);
  if (!bytes) {
    const out = join(dir, `reference-${name}.jpg`);
    const run = await runCli(['stack', folder, '-o', out, '-q']);
    assert.is(run.code, 0, run.stderr);
    bytes = await readFile(out);
    reference.set(name, bytes);
  }
  return bytes;
}

/** Lines `wrote PATH` of the workers, per output. */
function writes(workers: WorkerProcess[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of workers) for (const m of w.output().matchAll(/, wrote (\S+\.jpg)$/gm)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return counts;
}

/** The image files of a stack folder, in name order, as absolute paths. */
function framesOf(folder: string): string[] {
  return readdirSync(folder)
    .filter((n) => n.endsWith('.png'))
    .sort()
    .map((n) => join(folder, n));
}

async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) {
    w.child.kill('SIGTERM');
    await w.exited;
  }
}

if (!available) {
  test('queue tests: SKIPPED, redis-server is not installed (Debian package redis-server)', () => {
    console.log('SKIP test/queue: redis-server not found; install the Debian package redis-server');
  });
} else {
  test.before(async () => {
    redis = await startRedis();
    dir = await scratchDir();
    stacks = await writeStacks(join(dir, 'shots'), 12);
  });

  test.after(async () => {
    killAll();
    await redis?.stop();
    await closeExecutors();
    await removeScratch();
  });

  test('12 stacks over 2 worker processes: all complete, each result written once, the same bytes as `stack`; no password in any line', async () => {
    const url = redis!.url;
    const workers = await Promise.all([startWorker(url, ['--queue', 'many', ...FAST]), startWorker(url, ['--queue', 'many', ...FAST])]);
    try {
      const out = join(dir, 'many');
      const run = await runCli(['enqueue', join(dir, 'shots'), '--redis', url, '--queue', 'many', '-o', out, '--wait']);
      assert.is(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^enqueue: 12 stacks in \d+\.\d s: 12 stacked, 0 failed$/m);
      assert.match(run.stdout, /^s07: done \(job \d+\), wrote .*many\/s07\.jpg$/m);
      const counts = writes(workers);
      assert.is(counts.size, 12, [...counts.keys()].join(' '));
      assert.ok([...counts.values()].every((n) => n === 1), JSON.stringify([...counts]));
      for (const w of workers) assert.ok(/, wrote /.test(w.output()), `each worker ran jobs:\n${w.output()}`);
      assert.equal((await readdir(out)).sort(), stacks.map((s) => `${s.split('/').pop()}.jpg`));
      for (const folder of stacks) assert.equal(await readFile(join(out, `${folder.split('/').pop()}.jpg`)), await expected(folder), folder);
      const everything = workers.map((w) => w.output()).join('') + run.stdout + run.stderr;
      assert.not.ok(everything.includes(redis!.password) || everything.includes(encodeURIComponent(redis!.password)), 'a password was printed');
      assert.match(workers[0].output(), /at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(concurrency 1\)/);

      const status = await runCli(['queue', 'status', '--redis', url, '--queue', 'many']);
      assert.is(status.code, 0, status.stderr);
      assert.is(status.stdout, 'queue "many": 0 waiting, 0 active, 12 completed, 0 failed, 0 delayed (retrying)\n');
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  });

  test('a bad stack fails once with its reason, not retried; a missing frame too; queue status lists them', async () => {
    const url = redis!.url;
    const worker = await startWorker(url, ['--queue', 'bad', ...FAST]);
    let queue: StackQueue | undefined;
    try {
      queue = await stackQueue(url, { queue: 'bad', attempts: 3, backoff: 100 });
      const torn = join(dir, 'torn.png');
      await writeFile(torn, (await readFile(join(stacks[0], 'pcb_003.png'))).subarray(0, 200));
      const ids = [
        await queue.add({ name: 'torn', frames: [join(stacks[0], 'pcb_001.png'), torn], output: join(dir, 'bad', 'torn.jpg') }),
        await queue.add({ name: 'missing', frames: [join(stacks[0], 'pcb_001.png'), join(dir, 'nowhere.png')], output: join(dir, 'bad', 'missing.jpg') }),
        await queue.add({ name: 'levels', frames: [join(stacks[0], 'pcb_001.png'), join(stacks[0], 'pcb_003.png')], output: join(dir, 'bad', 'levels.jpg'), options: { levels: 99 } }),
      ];
      const outcomes = await queue.wait(ids);
      assert.equal(outcomes.map((o) => [o.name, o.state, o.attempts]), [['torn', 'failed', 1], ['missing', 'failed', 1], ['levels', 'failed', 1]]);
      assert.match(outcomes[0].reason!, /^Cannot read image ".*torn\.png": /);
      assert.match(outcomes[1].reason!, /^Cannot read image ".*nowhere\.png": no such file/);
      assert.match(outcomes[2].reason!, /^Expected an integer from 1 to 16 for levels but received 99/);
      await new Promise((r) => setTimeout(r, 400)); // a retry would have started by now (backoff 100 ms)
      assert.is(worker.output().match(/: started/g)?.length, 3, worker.output());
      assert.is(worker.output().match(/failed, not retried/g)?.length, 3, worker.output());
      const status = await runCli(['queue', 'status', '--redis', url, '--queue', 'bad']);
      assert.match(status.stdout, /^queue "bad": 0 waiting, 0 active, 0 completed, 3 failed, 0 delayed/);
      assert.match(status.stdout, /^failed: job \d+ missing \(1 attempt\): Cannot read image ".*nowhere\.png": no such file/m);
    } finally {
      await queue?.close();
      await stopWorker(worker);
    }
  });

  test('a worker SIGKILLed while it writes a result: the job completes on another worker, the result whole', async () => {
    const url = redis!.url;
    const out = join(dir, 'killed');
    // This worker holds each temporary file 30 s before renaming it: killed then, it has written part of a job.
    const doomed = await startWorker(url, ['--queue', 'kill', ...FAST], { FOCUS_STACKING_TEST_HOLD_WRITE_MS: '30000' });
    const queue = await stackQueue(url, { queue: 'kill' });
    let other: WorkerProcess | undefined;
    try {
      const run = await runCli(['enqueue', stacks[3], '--redis', url, '--queue', 'kill', '-o', out]);
      assert.is(run.code, 0, run.stderr);
      const id = /queued as job (\d+)/.exec(run.stdout)![1];
      await doomed.waitFor(/job \d+ s03: started/);
      for (let i = 0; i < 200 && !(await readdir(out)).some((n) => n.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 50));
      doomed.child.kill('SIGKILL');
      assert.is(await doomed.exited, 'SIGKILL');
      other = await startWorker(url, ['--queue', 'kill', ...FAST]);
      const [outcome] = await queue.wait([id]);
      assert.is(outcome.state, 'completed', outcome.reason);
      assert.equal(await readFile(join(out, 's03.jpg')), await expected(stacks[3]));
      assert.match(other.output(), /job \d+ s03: 4 frames in \d+\.\d s, wrote .*s03\.jpg/);
      assert.not.match(doomed.output(), /wrote/);
    } finally {
      await queue.close();
      if (other) await stopWorker(other);
    }
  });

  test('memory stays flat over 50 jobs: a worker\'s RSS after the 50th job within 30 MB of after the 10th', async () => {
    if (!existsSync('/proc/self/status')) {
      console.log('  SKIP the memory case: no /proc to read a process\'s RSS from (Linux only)');
      return;
    }
    const url = redis!.url;
    const out = join(dir, 'flat');
    await mkdir(out);
    const worker = await startWorker(url, ['--queue', 'flat', '--concurrency', '1']);
    const queue = await stackQueue(url, { queue: 'flat', events: false });
    // The worker's own resident memory, from /proc (Linux; elsewhere this test has nothing to read).
    const rss = async () => Number(/^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${worker.child.pid}/status`, 'utf8'))![1]) / 1024;
    try {
      const add = (i: number) => queue.add({ name: `f${i}`, frames: framesOf(stacks[i % stacks.length]), output: join(out, `f${i}.jpg`) });
      const first = await Promise.all(Array.from({ length: 10 }, (_, i) => add(i)));
      const done = (outcomes: { state: string; reason?: string }[]) => assert.equal(outcomes.filter((o) => o.state !== 'completed').map((o) => o.reason), []);
      done(await queue.wait(first));
      const after10 = await rss();
      const rest = await Promise.all(Array.from({ length: 40 }, (_, i) => add(10 + i)));
      done(await queue.wait(rest));
      const after50 = await rss();
      assert.is((await readdir(out)).filter((n) => n.endsWith('.jpg')).length, 50);
      console.log(`  worker RSS after 10 jobs ${after10.toFixed(0)} MB, after 50 ${after50.toFixed(0)} MB`);
      assert.ok(after50 - after10 < 30, `RSS after 10 jobs ${after10.toFixed(0)} MB, after 50 ${after50.toFixed(0)} MB`);
    } finally {
      await queue.close();
      await stopWorker(worker);
    }
  });

  test('rediss:// (TLS) with a password: a job runs end to end; a client that does not trust the certificate gets one line, no password', async () => {
    if (!opensslAvailable()) {
      console.log('  SKIP the TLS case: openssl not found (Debian package openssl)');
      return;
    }
    const secure = await startRedis(true);
    const out = join(dir, 'tls');
    await mkdir(out);
    // The worker trusts the self-signed certificate through Node's NODE_EXTRA_CA_CERTS; the queue here through BullMQ's options.
    const worker = await startWorker(secure.url, ['--queue', 'tls'], { NODE_EXTRA_CA_CERTS: secure.ca! });
    const queue = await stackQueue({ host: '127.0.0.1', port: secure.port, password: secure.password, tls: { ca: await readFile(secure.ca!) } }, { queue: 'tls', events: false });
    try {
      const id = await queue.add({ name: 's00', frames: framesOf(stacks[0]), output: join(out, 's00.jpg') });
      const [outcome] = await queue.wait([id]);
      assert.is(outcome.state, 'completed', outcome.reason);
      assert.equal(await readFile(join(out, 's00.jpg')), await expected(stacks[0]));
      const refused = spawnSync(process.execPath, [BIN, 'queue', 'status', '--redis', secure.url, '--timeout', '3'], { encoding: 'utf8', env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
      assert.is(refused.status, 1, refused.stderr);
      assert.match(refused.stderr, /^focus-stacking: cannot reach Redis at rediss:\/\/\*\*\*@127\.0\.0\.1:\d+: self-signed certificate\n$/);
      for (const text of [refused.stderr, worker.output()]) assert.not.ok(text.includes('w0rd'), text);
    } finally {
      await queue.close();
      await stopWorker(worker);
      await secure.stop();
    }
  });

  test('SIGTERM drains: the running job finishes (and keeps its lock past --lock-duration), no other is taken, exit 0', async () => {
    const url = redis!.url;
    const out = join(dir, 'drain');
    // Writing alone takes 5 s, more than the 4 s lock: the lock must be renewed, or the worker's own stalled check would take the job away.
    const worker = await startWorker(url, ['--queue', 'drain', ...FAST], { FOCUS_STACKING_TEST_HOLD_WRITE_MS: '5000' });
    const queue = await stackQueue(url, { queue: 'drain', events: false });
    try {
      const run = await runCli(['enqueue', stacks[4], stacks[5], '--redis', url, '--queue', 'drain', '-o', out, '-q']);
      assert.is(run.code, 0, run.stderr);
      await worker.waitFor(/s04: started/);
      for (let i = 0; i < 200 && !(await readdir(out)).some((n) => n.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 50));
      worker.child.kill('SIGTERM');
      assert.is(await worker.exited, 0, worker.output());
      assert.match(worker.output(), /SIGTERM: taking no more jobs; 1 running \(given back after 60 s\)/);
      assert.match(worker.output(), /closed\n$/);
      assert.equal(await readFile(join(out, 's04.jpg')), await expected(stacks[4]));
      assert.equal(await readdir(out), ['s04.jpg']);
      const counts = await queue.counts();
      assert.equal([counts.waiting, counts.active, counts.completed], [1, 0, 1]);
      assert.is(worker.output().match(/: started/g)?.length, 1, worker.output());
      assert.not.match(worker.output(), /lock|redis: /);
    } finally {
      await queue.close();
    }
  });

  test('close(grace): a job still running when the grace ends is given back to the queue, nothing written', async () => {
    const url = redis!.url;
    const lines: string[] = [];
    const worker = createWorker(url, { queue: 'grace', lockDuration: 4000, stalledInterval: 1000, onLog: (line) => lines.push(line) });
    const queue = await stackQueue(url, { queue: 'grace' });
    try {
      // 48 frames (the 4 of a stack, 12 times): long enough to be stopped between two frames.
      const frames = Array.from({ length: 48 }, (_, i) => join(stacks[2], ['pcb_001.png', 'pcb_003.png', 'pcb_004.png', 'pcb_007.png'][i % 4]));
      const started = new Promise<void>((resolve) => queue.on('progress', (_id, p) => p.step >= 2 && resolve()));
      const id = await queue.add({ name: 'long', frames, output: join(dir, 'grace.jpg'), options: { align: false } });
      await started;
      await worker.close(200);
      assert.ok(lines.some((l) => /^job \d+ long: given back to the queue \(the worker is stopping\)$/.test(l)), lines.join('\n'));
      const job = await queue.queue.getJob(id);
      assert.is(await job!.getState(), 'waiting');
      assert.not.ok(await readFile(join(dir, 'grace.jpg')).catch(() => false), 'no result written');
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  test('a Redis restart mid-run: the worker reconnects, nothing is lost, each result once', async () => {
    const url = redis!.url;
    const out = join(dir, 'restart');
    await mkdir(out);
    const worker = await startWorker(url, ['--queue', 'restart', '--lock-duration', '5000', '--stalled-interval', '2000'], { FOCUS_STACKING_TEST_HOLD_WRITE_MS: '600' });
    const queue = await stackQueue(url, { queue: 'restart' });
    queue.on('error', () => {});
    try {
      const names = stacks.slice(6, 12);
      const ids: string[] = [];
      for (const folder of names) {
        const name = folder.split('/').pop()!;
        ids.push(await queue.add({ name, frames: (await readdir(folder)).sort().map((f) => join(folder, f)), output: join(out, `${name}.jpg`) }));
      }
      await worker.waitFor(/, wrote .*s07\.jpg/);
      await redis!.restart();
      const before = worker.output().length;
      const outcomes = await queue.wait(ids);
      assert.equal(outcomes.map((o) => o.state), names.map(() => 'completed'), JSON.stringify(outcomes.map((o) => o.reason)) + worker.output());
      // Jobs ran after the restart, on the same worker (its connections came back).
      assert.ok(/, wrote /.test(worker.output().slice(before)), worker.output());
      const counts = writes([worker]);
      assert.is(counts.size, 6, worker.output());
      assert.ok([...counts.values()].every((n) => n === 1), worker.output());
      for (const folder of names) assert.equal(await readFile(join(out, `${folder.split('/').pop()}.jpg`)), await expected(folder), folder);
    } finally {
      await queue.close();
      await stopWorker(worker);
    }
  });
}

test.before.each((ctx) => { (ctx as { t0?: number }).t0 = Date.now(); });
test.after.each((ctx) => { if (process.env.QUEUE_TEST_TIMES) console.log(`${Date.now() - (ctx as unknown as { t0: number }).t0} ms`); });
test.run();
