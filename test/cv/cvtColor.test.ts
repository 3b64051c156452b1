import assert from 'node:assert/strict';
import { test } from 'uvu';
import { channelOrderOf, cv, cvtColor, deleteMat, liveMatCount, loadOpenCV, matFromImage, newMat, type Mat } from '../../lib/cv/index.js';
import { assertClose, matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

/** Convert `values` (one row of pixels) and return the result's values. */
function convert(type: number, values: number[], channels: number, code: number): number[] {
  const src = matOf(1, values.length / channels, type, values);
  let out: Mat | undefined;
  try {
    out = cvtColor(src, { code });
    return valuesOf(out);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
}

// BGR pixels chosen so that 0.114 B + 0.587 G + 0.299 R is not close to .5:
// 29.07, 149.69, 76.25, 21.85, 255
const bgr = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 255, 255, 255];

test('BGR2GRAY on 8 bits is round(0.114 B + 0.587 G + 0.299 R)', () => {
  const c = cv();
  assert.deepEqual(convert(c.CV_8UC3, bgr, 3, c.COLOR_BGR2GRAY), [29, 150, 76, 22, 255]);
});

test('BGR2GRAY and RGB2GRAY on floats use the same weights, swapped', () => {
  const c = cv();
  const px = [0.2, 0.5, 0.9];
  assertClose(convert(c.CV_32FC3, px, 3, c.COLOR_BGR2GRAY), [0.114 * 0.2 + 0.587 * 0.5 + 0.299 * 0.9], 1e-5);
  assertClose(convert(c.CV_32FC3, px, 3, c.COLOR_RGB2GRAY), [0.299 * 0.2 + 0.587 * 0.5 + 0.114 * 0.9], 1e-5);
});

test('channel reordering, adding and dropping alpha, gray to colour', () => {
  const c = cv();
  assert.deepEqual(convert(c.CV_8UC3, [1, 2, 3, 4, 5, 6], 3, c.COLOR_BGR2RGB), [3, 2, 1, 6, 5, 4]);
  assert.deepEqual(convert(c.CV_8UC3, [1, 2, 3], 3, c.COLOR_BGR2BGRA), [1, 2, 3, 255]);
  assert.deepEqual(convert(c.CV_32FC3, [0.1, 0.2, 0.3], 3, c.COLOR_BGR2BGRA).map((v) => +v.toFixed(5)), [0.1, 0.2, 0.3, 1]);
  assert.deepEqual(convert(c.CV_16UC4, [1, 2, 3, 4], 4, c.COLOR_BGRA2BGR), [1, 2, 3]);
  assert.deepEqual(convert(c.CV_8UC1, [7, 9], 1, c.COLOR_GRAY2BGR), [7, 7, 7, 9, 9, 9]);
});

test('BGR2HSV on 8 bits: hue in [0, 180), red 0, green 60, blue 120', () => {
  const c = cv();
  assert.deepEqual(convert(c.CV_8UC3, bgr.slice(0, 9), 3, c.COLOR_BGR2HSV), [120, 255, 255, 60, 255, 255, 0, 255, 255]);
});

test('writes into dst', () => {
  const c = cv();
  const src = matOf(1, 1, c.CV_8UC3, [10, 20, 30]);
  const dst = newMat();
  try {
    assert.equal(cvtColor(src, { code: c.COLOR_BGR2GRAY, dst }), dst);
    assert.deepEqual(valuesOf(dst), [22]);
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const gray = newMat(2, 2, c.CV_8UC1);
  const deep = newMat(2, 2, c.CV_16UC3);
  const signed = newMat(2, 2, c.CV_16SC3);
  try {
    assert.throws(() => cvtColor(gray, { code: c.COLOR_BGR2GRAY }), {
      name: 'TypeError',
      message: 'Expected a 3-channel Mat for COLOR_BGR2GRAY for src but received "CV_8UC1" (string)',
    });
    assert.throws(() => cvtColor(deep, { code: c.COLOR_BGR2HSV }), {
      name: 'TypeError',
      message: 'Expected a CV_8U or CV_32F Mat for src but received "CV_16UC3" (string)',
    });
    assert.throws(() => cvtColor(signed, { code: c.COLOR_BGR2GRAY }), {
      name: 'TypeError',
      message: 'Expected a CV_8U, CV_16U or CV_32F Mat for src but received "CV_16SC3" (string)',
    });
    assert.throws(() => cvtColor(gray, { code: 9999 }), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /^Expected a supported cv\.COLOR_\* code \(COLOR_BGR2GRAY, .*COLOR_Lab2RGB\) for code but received 9999 \(number\)$/);
      return true;
    });
  } finally {
    [signed, deep, gray].forEach(deleteMat);
  }
});

test("a Mat made by matFromImage from an RGB image: COLOR_BGR2GRAY is refused, naming both fixes; order 'bgr' makes cv2's BGR2GRAY right", () => {
  const c = cv();
  // Two RGB pixels (red, and a mix); gray = round(0.299 R + 0.587 G + 0.114 B), by hand.
  const image = { width: 2, height: 1, channels: 3 as const, data: Uint8Array.from([255, 0, 0, 30, 20, 10]) };
  const expected = [76, 22]; // 76.245; 8.97 + 11.74 + 1.14 = 21.85
  const rgb = matFromImage(image);
  const bgr = matFromImage(image, { order: 'bgr' });
  const untagged = rgb.clone();
  const outs: Mat[] = [];
  try {
    assert.throws(() => cvtColor(rgb, { code: c.COLOR_BGR2GRAY }), {
      name: 'TypeError',
      message:
        "Expected a BGR Mat (COLOR_BGR2GRAY reads BGR) for src but received an RGB Mat from matFromImage (use COLOR_RGB2GRAY, or make the Mat with matFromImage(image, { order: 'bgr' }) for cv2's BGR order)",
    });
    assert.throws(() => cvtColor(bgr, { code: c.COLOR_RGB2HSV }), {
      name: 'TypeError',
      message: 'Expected an RGB Mat (COLOR_RGB2HSV reads RGB) for src but received a BGR Mat from matFromImage (use COLOR_BGR2HSV)',
    });
    outs.push(cvtColor(rgb, { code: c.COLOR_RGB2GRAY }), cvtColor(bgr, { code: c.COLOR_BGR2GRAY }));
    assert.deepEqual(Array.from(outs[0].data), expected);
    assert.deepEqual(Array.from(outs[1].data), expected);
    // Swapping channels reads no colour: allowed either way. Other Mats carry no order: taken as the code says.
    outs.push(cvtColor(rgb, { code: c.COLOR_BGR2RGB }), cvtColor(untagged, { code: c.COLOR_BGR2GRAY }));
    assert.deepEqual(Array.from(outs[2].data), [0, 0, 255, 10, 20, 30]);
    assert.deepEqual(Array.from(outs[3].data), [29, 18]); // 255 read as blue: 29.07; 3.42 + 11.74 + 2.99 = 18.15
  } finally {
    [...outs, untagged, bgr, rgb].forEach(deleteMat);
  }
});

test('writing a conversion into a Mat from matFromImage forgets its order', () => {
  const c = cv();
  const rgb = matFromImage({ width: 1, height: 1, channels: 3, data: Uint8Array.from([1, 2, 3]) });
  try {
    cvtColor(rgb, { code: c.COLOR_RGB2BGR, dst: rgb });
    assert.equal(channelOrderOf(rgb), undefined);
    assert.deepEqual(Array.from(rgb.data), [3, 2, 1]);
  } finally {
    deleteMat(rgb);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
