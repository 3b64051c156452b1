/**
 * Child process of the close test: `node close-child.js SCENARIO` closes a
 * threaded executor in one way and prints a line for each step reached. A
 * promise that never settles shows as a missing line and exit code 13.
 */
import { closeExecutors, executorFor, ThreadedExecutor, type Executor } from '../../lib/parallel/index.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** sigmoidMask of 100 against 0 over `n` values, checked; its buffers go back to the pool. */
async function work(exec: Executor, n = 1_000_000): Promise<string> {
  const [a, b, out] = [exec.pool.float32(n).fill(100), exec.pool.float32(n).fill(0), exec.pool.float32(n)];
  try {
    await exec.sigmoidMask(a, b, 0.1, out);
    return out.every((v) => Math.abs(v - 0.99330715) < 1e-6) ? 'right' : 'wrong';
  } finally {
    exec.pool.release(a, b, out);
  }
}

const scenario = process.argv[2];
if (scenario === 'idle') {
  const exec = new ThreadedExecutor(2);
  say(await work(exec));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the workers are idle, unref'd
  await exec.close();
  say('closed');
} else if (scenario === 'twice') {
  const exec = new ThreadedExecutor(3);
  say(await work(exec));
  const [first, second] = [exec.close(), exec.close()];
  await Promise.all([first, second]);
  await exec.close();
  say('closed three times');
  say(`afterwards ${await work(exec)}, pool ${exec.pool.bytes > 0 ? 'refilled' : 'empty'}`);
} else if (scenario === 'running') {
  // The band is posted while the worker is still starting: it is surely not done when close() is called.
  const exec = new ThreadedExecutor(2);
  const job = work(exec, 200_000);
  await exec.close();
  say('closed');
  say(`job ${await job}`);
  say(`afterwards ${await work(exec)}`);
} else if (scenario === 'shared') {
  const first: Executor = executorFor(2);
  say(await work(first));
  await closeExecutors();
  say(`closed, pool ${first.pool.inUse} bytes in use`);
  const second = executorFor(2);
  say(`${second === first ? 'same' : 'new'} executor: ${await work(second)}`);
  await closeExecutors();
  say('closed again');
} else throw new Error(`unknown scenario ${scenario}`);
