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

test('shared pools make SharedArrayBuffers; results are never shared nor from the arenas', () => {
  const pool = new BufferPool({ shared: true });
  assert.ok(pool.shared);
  assert.instance(pool.float32(4).buffer, SharedArrayBuffer);
  assert.instance(pool.uint16(4).buffer, SharedArrayBuffer);
  const samples = pool.samples(6, true);
  assert.instance(samples, Uint16Array);
  assert.not.instance(samples.buffer, SharedArrayBuffer);
  assert.equal(Array.from(samples), [0, 0, 0, 0, 0, 0]);
  assert.instance(new BufferPool().samples(6, false), Uint8Array);
  assert.is(pool.inUse, 128, 'samples are not counted');
  pool.clear();
  assert.is(pool.bytes, 0);
  assert.is(pool.inUse, 0);
});

test('inUse counts what is handed out; arenas are kept once everything is back; a second release is ignored', () => {
  const pool = new BufferPool({ arenaBytes: 1024 });
  const a = pool.uint8(100);
  const b = pool.uint16(10);
  const c = pool.float32(100);
  assert.is(pool.inUse, 128 + 64 + 448);
  assert.is(b.byteOffset, 128);
  pool.release(a, undefined);
  assert.is(pool.inUse, 64 + 448);
  pool.release(a); // already back: ignored, even though the span is free
  pool.release(new Uint8Array(c.buffer, c.byteOffset + 64, 8)); // not an array the pool handed out
  assert.is(pool.inUse, 64 + 448);
  const d = pool.uint8(64); // reuses a's place
  assert.is(d.byteOffset, 0);
  pool.release(a); // a's span now belongs to d: the stale view frees nothing
  assert.is(pool.inUse, 64 + 64 + 448);
  pool.release(b, c, d);
  assert.is(pool.inUse, 0);
  assert.is(pool.bytes, 1024, 'the arena stays for the next run');
  assert.is(pool.uint8(1024).byteOffset, 0, 'all of it free again, coalesced');
});

test('a lease gives back everything it still holds, and only what it holds', () => {
  const pool = new BufferPool({ arenaBytes: 4096 });
  const outside = pool.float32(16);
  const lease = pool.lease();
  assert.is(lease.shared, false);
  const x = lease.float32(100);
  const y = lease.uint8(10);
  lease.uint16(10);
  assert.is(lease.inUse, 448 + 64 + 64);
  assert.is(pool.inUse, 64 + 448 + 64 + 64);
  lease.release(x, outside); // outside is not the lease's: ignored
  assert.is(pool.inUse, 64 + 64 + 64);
  lease.release(x); // already back
  assert.is(pool.inUse, 64 + 64 + 64);
  assert.instance(lease.samples(3, false), Uint8Array);
  lease.releaseAll();
  assert.is(lease.inUse, 0);
  assert.is(pool.inUse, 64, 'only the array taken outside the lease');
  lease.release(y); // after releaseAll: nothing
  pool.release(outside);
  assert.is(pool.inUse, 0);
});

test('transient arrays come from the end of the free space, so that a short-lived copy leaves no hole', () => {
  const KB = 1024;
  const pool = new BufferPool({ arenaBytes: 64 * KB });
  const state = pool.uint8(16 * KB); // lives all run
  const copy = pool.uint8(12 * KB, true); // a frame's samples, while it is warped
  assert.is(copy.byteOffset, 52 * KB, 'at the end');
  const coverage = pool.uint8(4 * KB); // lives while the frame is folded
  assert.is(coverage.byteOffset, 16 * KB, 'after the state');
  pool.release(copy);
  // The measure fits in one piece after the coverage: first fit alone would have put the copy there and the coverage after it.
  const measure = pool.uint8(40 * KB);
  assert.is(measure.byteOffset, 20 * KB);
  assert.is(measure.buffer, state.buffer);
  // Through a lease too: the end of the last free span that fits, else of an earlier one.
  pool.release(measure, coverage);
  const lease = pool.lease();
  const x = lease.uint8(4 * KB);
  lease.uint8(4 * KB);
  const y = lease.uint8(8 * KB, true);
  assert.equal([x.byteOffset, y.byteOffset], [16 * KB, 56 * KB]);
  lease.release(x); // free: 16..20 and 24..56 KB
  const big = lease.float32(8 * KB, true); // 32 KB: the last span, an exact fit
  assert.is(big.byteOffset, 24 * KB);
  const small = lease.uint16(KB, true); // 2 KB: the end of the only span left
  assert.is(small.byteOffset, 18 * KB);
  lease.releaseAll();
  assert.is(pool.inUse, 16 * KB, 'only the state');
  // A transient request larger than any free span gets an arena of its own.
  const huge = pool.uint8(100 * KB, true);
  assert.is.not(huge.buffer, state.buffer);
  assert.is(huge.byteOffset, 0);
  assert.is(pool.bytes, 164 * KB);
});

test('touched counts the parts of the arenas ever handed out, in 64 KiB steps, and is kept until clear', () => {
  const KB = 1024;
  const pool = new BufferPool({ arenaBytes: 1024 * KB });
  assert.is(pool.touched, 0);
  const a = pool.uint8(100 * KB); // granules 0-1
  assert.is(pool.touched, 128 * KB);
  const b = pool.uint8(10 * KB); // 100..110 KB: granule 1, counted already
  assert.is(pool.touched, 128 * KB);
  const c = pool.uint8(64 * KB, true); // the last granule
  assert.is(c.byteOffset, 960 * KB);
  assert.is(pool.touched, 192 * KB);
  pool.release(a, b, c);
  const d = pool.uint8(200 * KB); // granules 0-3: two of them new
  assert.is(pool.touched, 320 * KB, 'what was handed out before still counts');
  pool.release(d);
  const odd = new BufferPool({ arenaBytes: 100 * KB });
  odd.uint8(100 * KB);
  assert.is(odd.touched, 100 * KB, 'a partial last granule counts its bytes');
  pool.clear();
  assert.is(pool.touched, 0);
});

test.run();
