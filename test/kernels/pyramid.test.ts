// The typed-array pyrDown/pyrUp against OpenCV.js's own, borders and odd sizes included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { floatImageFromMat, loadOpenCV, matFromImage, MatScope, pyrDown as cvPyrDown, pyrUp as cvPyrUp } from '../../lib/cv/index.js';
import type { FloatImage } from '../../lib/image.js';
import { pyrDown, pyrUpApply } from '../../lib/kernels/pyramid.js';
import { maxAbsDiff, randomImage } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

function opencvDown(src: FloatImage): FloatImage {
  using scope = new MatScope();
  return floatImageFromMat(scope.track(cvPyrDown(scope.track(matFromImage(src)))));
}

function opencvUp(src: FloatImage, width: number, height: number): FloatImage {
  using scope = new MatScope();
  return floatImageFromMat(scope.track(cvPyrUp(scope.track(matFromImage(src)), { dstsize: [width, height] })));
}

const sizes: [number, number][] = [[1, 1], [2, 1], [1, 3], [2, 2], [3, 3], [7, 5], [16, 9], [33, 25], [64, 48], [101, 3]];

for (const channels of [1, 3]) {
  test(`pyrDown equals cv.pyrDown (${channels} channel(s))`, () => {
    sizes.forEach(([w, h], i) => {
      const src = randomImage(w, h, channels, i + 1);
      const ours = pyrDown(src);
      const ref = opencvDown(src);
      assert.equal([ours.width, ours.height], [ref.width, ref.height], `${w}x${h}`);
      assert.ok(maxAbsDiff(ours.data, ref.data) < 1e-3, `${w}x${h}: ${maxAbsDiff(ours.data, ref.data)}`);
    });
  });

  test(`pyrUpApply 'set' equals cv.pyrUp with every destination size OpenCV accepts (${channels} channel(s))`, () => {
    sizes.forEach(([w, h], i) => {
      const src = randomImage(w, h, channels, 100 + i);
      // From one column to three, OpenCV leaves the third column uninitialised;
      // no pyramid asks for it (pyrDown of 3 is 2), so it is not compared.
      for (const dw of [2 * w - 1, 2 * w, 2 * w + 1].filter((d) => d >= 1 && !(w === 1 && d === 3))) {
        for (const dh of [2 * h - 1, 2 * h, 2 * h + 1].filter((d) => d >= 1)) {
          const dst: FloatImage = { width: dw, height: dh, channels, data: new Float32Array(dw * dh * channels) };
          pyrUpApply(src, dst, 'set');
          const ref = opencvUp(src, dw, dh);
          assert.ok(maxAbsDiff(dst.data, ref.data) < 1e-3, `${w}x${h} -> ${dw}x${dh}: ${maxAbsDiff(dst.data, ref.data)}`);
        }
      }
    });
  });
}

test("pyrUpApply 'add' and 'subtract' combine with the destination", () => {
  const src = randomImage(9, 7, 3, 7);
  const base = randomImage(17, 13, 3, 8);
  const up = opencvUp(src, 17, 13);
  const added = { ...base, data: base.data.slice() };
  const subtracted = { ...base, data: base.data.slice() };
  pyrUpApply(src, added, 'add');
  pyrUpApply(src, subtracted, 'subtract');
  const expectAdd = base.data.map((v, i) => v + up.data[i]);
  const expectSub = base.data.map((v, i) => v - up.data[i]);
  assert.ok(maxAbsDiff(added.data, expectAdd) < 1e-3);
  assert.ok(maxAbsDiff(subtracted.data, expectSub) < 1e-3);
});

test('pyrDown writes into a given buffer', () => {
  const src = randomImage(10, 6, 1, 3);
  const out = new Float32Array(5 * 3).fill(NaN);
  const r = pyrDown(src, out);
  assert.is(r.data, out);
  assert.ok(maxAbsDiff(out, opencvDown(src).data) < 1e-3);
});

test.run();
