// The buffer pool: arrays carved from arenas, reused after release, spans coalesced.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferPool } from '../../lib/kernels/pool.js';

test('arrays come from one arena until it is full, and do not overlap', () => {
  const pool = new BufferPool({ arenaBytes: 1024 });
  const a = pool.float32(10);
  const b = pool.uint8(100);
  assert.is(a.buffer, b.buffer);
  assert.ok(b.byteOffset >= a.byteOffset + a.byteLength, 'no overlap');
  assert.is(a.byteOffset % 64, 0);
  assert.is(b.byteOffset % 64, 0);
  const big = pool.float32(1000); // larger than an arena: one of its own
  assert.is.not(big.buffer, a.buffer);
  assert.is(pool.bytes, 1024 + 4032); // 4000 bytes, rounded up to 64
});

test('released spans are reused and coalesce', () => {
  const pool = new BufferPool({ arenaBytes: 640 });
  const parts = [0, 1, 2, 3, 4].map(() => pool.uint8(128));
  assert.equal(parts.map((p) => p.byteOffset), [0, 128, 256, 384, 512]);
  pool.release(parts[1], parts[3]);
  pool.release(parts[2]); // 128..512 is one free span again
  const joined = pool.uint8(384);
  assert.is(joined.byteOffset, 128);
  assert.is(joined.buffer, parts[0].buffer);
  pool.release(new Uint8Array(8)); // not from the pool: ignored
  assert.is(pool.bytes, 640);
});

test('shared pools make SharedArrayBuffers; results come outside the arenas', () => {
  const pool = new BufferPool({ shared: true });
  assert.ok(pool.shared);
  assert.instance(pool.float32(4).buffer, SharedArrayBuffer);
  const samples = pool.samples(6, true);
  assert.instance(samples, Uint16Array);
  assert.instance(samples.buffer, SharedArrayBuffer);
  assert.instance(new BufferPool().samples(6, false), Uint8Array);
  pool.clear();
  assert.is(pool.bytes, 0);
});

test.run();
