// Repeated runs in one process hold their memory flat: the pool keeps its
// arenas and gets every buffer back, results are not fresh shared memory.
// Measured in a child process started with --expose-gc (test/helpers/leak.ts).
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import { assertFlat, measureInChild } from './helpers/leak.js';

const child = fileURLToPath(new URL('./helpers/leak-stack-pair.js', import.meta.url));
const CALLS = 20;
const BOUND = 30 * 2 ** 20;

for (const threads of [2, 1]) {
  test(`stackPair 640x480, ${CALLS} calls on ${threads} thread(s): RSS after the last within 30 MB of RSS after the 2nd`, () => {
    assertFlat(measureInChild(child, [String(threads), String(CALLS)]), CALLS, BOUND);
  });
}

test.run();
