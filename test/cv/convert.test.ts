import assert from 'node:assert/strict';
import { test } from 'uvu';
import type { FloatImage, Image } from '../../lib/image.js';
import { channelOrderOf, cv, deleteMat, floatImageFromMat, imageFromMat, liveMatCount, loadOpenCV, matFromImage, newMat, split } from '../../lib/cv/index.js';
import { randomValues } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const width = 5;
const height = 3;

function image(channels: 1 | 3, bits: 8 | 16): Image {
  const values = randomValues(width * height * channels, 7 + channels + bits, 0, bits === 8 ? 256 : 65536, true);
  return { width, height, channels, data: bits === 8 ? Uint8Array.from(values) : Uint16Array.from(values) };
}

/** The sample at (x, y, channel k), read through OpenCV's own accessor. */
function sample(mat: ReturnType<typeof matFromImage>, x: number, y: number, k: number): number {
  return mat.depth() === cv().CV_8U ? mat.ucharPtr(y, x)[k] : mat.depth() === cv().CV_16U ? mat.ushortPtr(y, x)[k] : mat.floatPtr(y, x)[k];
}

for (const bits of [8, 16] as const) {
  for (const channels of [1, 3] as const) {
    test(`${bits}-bit, ${channels} channel(s): the Mat has the right type and layout, and the round trip is exact`, () => {
      const c = cv();
      const input = image(channels, bits);
      const mat = matFromImage(input);
      try {
        const expectedType = {
          '8-1': c.CV_8UC1, '8-3': c.CV_8UC3, '16-1': c.CV_16UC1, '16-3': c.CV_16UC3,
        }[`${bits}-${channels}`];
        assert.deepEqual([mat.rows, mat.cols, mat.channels(), mat.type()], [height, width, channels, expectedType]);
        // pixel (x=4, y=2), last channel
        const k = channels - 1;
        assert.equal(sample(mat, 4, 2, k), input.data[(2 * width + 4) * channels + k]);
        const output = imageFromMat(mat);
        assert.deepEqual(output, input);
        assert.equal(output.data.constructor, input.data.constructor);
      } finally {
        deleteMat(mat);
      }
    });
  }
}

for (const channels of [1, 3]) {
  test(`float, ${channels} channel(s): the Mat is CV_32F and the round trip is exact`, () => {
    const c = cv();
    const input: FloatImage = { width, height, channels, data: Float32Array.from(randomValues(width * height * channels, 99 + channels, -1000, 1000)) };
    const mat = matFromImage(input);
    try {
      assert.deepEqual([mat.rows, mat.cols, mat.channels(), mat.type()], [height, width, channels, channels === 1 ? c.CV_32FC1 : c.CV_32FC3]);
      assert.equal(sample(mat, 1, 1, channels - 1), input.data[(width + 1) * channels + channels - 1]);
      assert.deepEqual(floatImageFromMat(mat), input);
    } finally {
      deleteMat(mat);
    }
  });
}

test('the images returned are copies outside the WebAssembly heap', () => {
  const input = image(3, 8);
  const mat = matFromImage(input);
  const out = imageFromMat(mat);
  assert.notEqual(out.data.buffer, mat.data.buffer);
  deleteMat(mat);
  assert.deepEqual(out, input);
});

test('rejects bad channel counts and depths with exact messages', () => {
  const c = cv();
  assert.throws(() => matFromImage({ width: 1, height: 1, channels: 5, data: new Float32Array(5) }), {
    name: 'RangeError',
    message: 'Expected an integer from 1 to 4 for channels but received 5 (number)',
  });
  const float = newMat(1, 1, c.CV_32FC1);
  const bytes = newMat(1, 1, c.CV_8UC1);
  try {
    assert.throws(() => imageFromMat(float), { name: 'TypeError', message: 'Expected a CV_8U or CV_16U Mat for mat but received "depth 5" (string)' });
    assert.throws(() => floatImageFromMat(bytes), { name: 'TypeError', message: 'Expected a CV_32F Mat for mat but received "depth 0" (string)' });
  } finally {
    deleteMat(bytes);
    deleteMat(float);
  }
});

test("order 'bgr' lays the Mat out as cv2.imread would (blue first) and imageFromMat turns it back to RGB", () => {
  for (const bits of [8, 16] as const) {
    const input = image(3, bits);
    const mat = matFromImage(input, { order: 'bgr' });
    const planes = split(mat);
    try {
      // Pixel p's blue (RGB index 2) is the Mat's channel 0, its red channel 2.
      for (const [k, from] of [[0, 2], [1, 1], [2, 0]]) {
        assert.deepEqual(Array.from(bits === 8 ? planes[k].data : planes[k].data16U), Array.from(input.data.filter((_, i) => i % 3 === from)), `${bits}-bit channel ${k}`);
      }
      assert.equal(channelOrderOf(mat), 'bgr');
      assert.deepEqual(imageFromMat(mat, { order: 'bgr' }), input);
      const swapped = imageFromMat(mat);
      assert.deepEqual(Array.from(swapped.data.slice(0, 3)), [input.data[2], input.data[1], input.data[0]]);
    } finally {
      planes.forEach(deleteMat);
      deleteMat(mat);
    }
  }
  // Four float channels: RGBA becomes BGRA, and back.
  const rgba: FloatImage = { width: 2, height: 1, channels: 4, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
  const mat = matFromImage(rgba, { order: 'bgr' });
  try {
    assert.deepEqual(Array.from(mat.data32F), [3, 2, 1, 4, 7, 6, 5, 8]);
    assert.deepEqual(floatImageFromMat(mat, { order: 'bgr' }), rgba);
  } finally {
    deleteMat(mat);
  }
});

test("the default order is 'rgb'; gray Mats and OpenCV's results carry none", () => {
  const colour = matFromImage(image(3, 8));
  const gray = matFromImage(image(1, 8));
  const copy = colour.clone();
  try {
    assert.equal(channelOrderOf(colour), 'rgb');
    assert.equal(channelOrderOf(gray), undefined);
    assert.equal(channelOrderOf(copy), undefined);
  } finally {
    [copy, gray, colour].forEach(deleteMat);
  }
});

test('a bad order or an unknown option is refused before a Mat is made', () => {
  const before = liveMatCount();
  assert.throws(() => matFromImage(image(3, 8), { order: 'BGR' as 'bgr' }), {
    name: 'TypeError',
    message: 'Expected one of rgb, bgr for order but received "BGR" (string)',
  });
  assert.throws(() => matFromImage(image(3, 8), { bgr: true } as never), {
    name: 'TypeError',
    message: 'Unknown option "bgr" for matFromImage; known options: order',
  });
  assert.equal(liveMatCount(), before);
  const mat = matFromImage(image(1, 8));
  try {
    assert.throws(() => imageFromMat(mat, { order: 'grb' as 'bgr' }), { name: 'TypeError', message: 'Expected one of rgb, bgr for order but received "grb" (string)' });
  } finally {
    deleteMat(mat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test('matFromImage refuses data of the wrong length before making a Mat', () => {
  const before = liveMatCount();
  assert.throws(() => matFromImage({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) }), {
    name: 'TypeError',
    message: 'Expected 12 samples (2x2x3) for data but received a Uint8Array of length 5',
  });
  assert.equal(liveMatCount(), before);
});

test.run();
