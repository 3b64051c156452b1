// Closing threaded executors resolves and stops the workers, whatever they
// are doing; checked in child processes, where a promise left pending makes
// the process end early (exit code 13 for a pending top-level await).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const child = fileURLToPath(new URL('../helpers/close-child.js', import.meta.url));

function run(scenario: string): { status: number | null; lines: string[]; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [child, scenario], { encoding: 'utf8' });
  return { status, lines: stdout.trim().split('\n'), stderr };
}

const cases: [string, string, string[]][] = [
  ['idle', 'close() resolves once the workers have been idle (unref-ed) for a while', ['right', 'closed']],
  ['twice', 'close() twice at once, and again later, resolves; the executor then runs on this thread', ['right', 'closed three times', 'afterwards right, pool refilled']],
  ['running', 'close() while a call runs lets the call finish, resolves, and later calls work', ['closed', 'job right', 'afterwards right']],
  ['shared', 'closeExecutors() closes the shared executors; executorFor then makes new ones', ['right', 'closed, pool 0 bytes in use', 'new executor: right', 'closed again']],
];

for (const [scenario, title, expected] of cases) {
  test(title, () => {
    const { status, lines, stderr } = run(scenario);
    assert.equal(lines, expected, stderr);
    assert.is(status, 0, stderr);
  });
}

test.run();
