// Repeated runs of the N-frame engine with alignment hold their memory flat:
// every buffer goes back to the pool, the thumbnails die with the run.
// Measured in a child process started with --expose-gc (test/helpers/leak.ts).
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mb, measureInChild } from '../helpers/leak.js';

const child = fileURLToPath(new URL('../helpers/leak-stack.js', import.meta.url));
const CALLS = 20;
const BOUND = 30 * 2 ** 20;

test(`stack with alignment, 3 frames of 160x120, ${CALLS} calls on 2 threads: RSS after the last within 30 MB of RSS after the 2nd`, () => {
  const { after2, afterK, calls } = measureInChild(child, ['2', String(CALLS)]);
  assert.is(calls, CALLS);
  const growth = afterK.rss - after2.rss;
  const detail = `rss ${mb(after2.rss)} -> ${mb(afterK.rss)} MB, arrayBuffers ${mb(after2.arrayBuffers)} -> ${mb(afterK.arrayBuffers)} MB`;
  assert.ok(growth < BOUND, `RSS grew by ${mb(growth)} MB (${detail})`);
  assert.ok(afterK.arrayBuffers - after2.arrayBuffers < BOUND, `arrayBuffers grew (${detail})`);
});

test.run();
