// Blending, and the fused last step of a pyramid (blend + pyrUp + clip) against its parts, the expansion made by OpenCV.js.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { floatImageFromMat, loadOpenCV, matFromImage, MatScope, pyrUp } from '../../lib/cv/index.js';
import { blend, blendUpClip } from '../../lib/kernels/blend.js';
import { randomImage, rng } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

test('blend: one mask for every channel, or one per channel; float or 0/1 masks', () => {
  const back = { width: 2, height: 1, channels: 3, data: new Float32Array([10, 20, 30, 40, 50, 60]) };
  const front = { width: 2, height: 1, channels: 3, data: new Float32Array([0, 0, 0, 100, 100, 100]) };
  assert.equal(Array.from(blend([new Float32Array([0.25, 1])], back, front).data), [2.5, 5, 7.5, 40, 50, 60]);
  assert.equal(Array.from(blend([new Uint8Array([0, 1])], back, front).data), [0, 0, 0, 40, 50, 60]);
  const perChannel = [new Float32Array([1, 0]), new Uint8Array([0, 1]), new Float32Array([0.5, 0.5])];
  assert.equal(Array.from(blend(perChannel, back, front).data), [10, 0, 15, 100, 50, 80]);
  const gray = { width: 3, height: 1, channels: 1, data: new Float32Array([8, 8, 8]) };
  const zero = { width: 3, height: 1, channels: 1, data: new Float32Array(3) };
  assert.equal(Array.from(blend([new Float32Array([0, 0.5, 1])], gray, zero).data), [0, 4, 8]);
});

test('blendUpClip = clip(trunc(blend + cv.pyrUp(coarser))), 8 and 16 bits, with and without a coarser level', () => {
  for (const [w, h, cn] of [[7, 5, 3], [8, 6, 1], [33, 20, 3], [1, 1, 3]] as const) {
    const next = rng(w * h);
    const back = randomImage(w, h, cn, 1, 300);
    const front = randomImage(w, h, cn, 2, 300);
    const coarser = randomImage((w + 1) >> 1, (h + 1) >> 1, cn, 3, 200);
    const masks = cn === 1 ? [Float32Array.from({ length: w * h }, next)] : [Float32Array.from({ length: w * h }, next), Uint8Array.from({ length: w * h }, () => (next() < 0.5 ? 1 : 0)), Float32Array.from({ length: w * h }, next)];
    // The blend written out here, independently of the kernel: channel c uses mask c (or the only one).
    const blended = back.data.map((b, i) => {
      const m = masks[masks.length === 1 ? 0 : i % cn][Math.floor(i / cn)];
      return m * b + (1 - m) * front.data[i];
    });
    using scope = new MatScope();
    const up = floatImageFromMat(scope.track(pyrUp(scope.track(matFromImage(coarser)), { dstsize: [w, h] }))).data;
    for (const [sixteen, withCoarser] of [[false, true], [true, true], [false, false]]) {
      const out = sixteen ? new Uint16Array(w * h * cn) : new Uint8Array(w * h * cn);
      blendUpClip(masks, back, front, withCoarser ? coarser : undefined, out, sixteen ? 257 : 1);
      const max = sixteen ? 65535 : 255;
      let off = 0;
      out.forEach((v, i) => {
        const x = (blended[i] + (withCoarser ? up[i] : 0)) * (sixteen ? 257 : 1);
        const expected = x <= 0 ? 0 : x >= max ? max : Math.trunc(x);
        off = Math.max(off, Math.abs(v - expected));
      });
      assert.ok(off <= (sixteen ? 2 : 1), `${w}x${h}x${cn} sixteen=${sixteen} coarser=${withCoarser}: off by ${off}`);
    }
  }
});

test('blendUpClip on row bands equals one call over all rows', () => {
  const [w, h] = [20, 13];
  const back = randomImage(w, h, 3, 4);
  const front = randomImage(w, h, 3, 5);
  const coarser = randomImage(10, 7, 3, 6, 50);
  const masks = [randomImage(w, h, 1, 7, 1).data];
  const whole = new Uint8Array(w * h * 3);
  blendUpClip(masks, back, front, coarser, whole, 1);
  const parts = new Uint8Array(w * h * 3);
  for (const [y0, y1] of [[0, 3], [3, 4], [4, 7]]) blendUpClip(masks, back, front, coarser, parts, 1, y0, y1);
  assert.equal(Array.from(parts), Array.from(whole));
});

test.run();
