// Repeated runs in one process hold their memory flat: the pool keeps its
// arenas and gets every buffer back, results are not fresh shared memory.
// Measured in a child process started with --expose-gc (test/helpers/leak.ts).
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mb, measureInChild } from './helpers/leak.js';

const child = fileURLToPath(new URL('./helpers/leak-stack-pair.js', import.meta.url));
const CALLS = 20;
const BOUND = 30 * 2 ** 20;

for (const threads of [2, 1]) {
  test(`stackPair 640x480, ${CALLS} calls on ${threads} thread(s): RSS after the last within 30 MB of RSS after the 2nd`, () => {
    const { after2, afterK, calls } = measureInChild(child, [String(threads), String(CALLS)]);
    assert.is(calls, CALLS);
    const growth = afterK.rss - after2.rss;
    const detail = `rss ${mb(after2.rss)} -> ${mb(afterK.rss)} MB, arrayBuffers ${mb(after2.arrayBuffers)} -> ${mb(afterK.arrayBuffers)} MB`;
    assert.ok(growth < BOUND, `RSS grew by ${mb(growth)} MB (${detail})`);
    assert.ok(afterK.arrayBuffers - after2.arrayBuffers < BOUND, `arrayBuffers grew (${detail})`);
  });
}

test.run();
