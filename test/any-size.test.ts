// DIFFERENCES.md section 3 on inputs of other sizes and colours than the parity cases:
// crops of the pcb frames, against the whole method computed by OpenCV.js in
// float64 (test/helpers/reference.ts), the Python reference's steps.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import { loadOpenCV } from '../lib/cv/index.js';
import type { Image } from '../lib/image.js';
import { loadImage } from '../lib/io.js';
import { stackPair } from '../lib/stack.js';
import { assertImageClose } from './helpers/compare.js';
import { readPng } from './helpers/files.js';
import { referenceOutputs } from './helpers/reference.js';

const frame = (name: string) => loadImage(fileURLToPath(new URL(`../../fixtures/pcb/${name}`, import.meta.url)));
let far: Image;
let near: Image;

test.before(async () => {
  await loadOpenCV();
  [far, near] = await Promise.all([frame('pcb_007.jpg'), frame('pcb_001.jpg')]);
});

/** A crop at (x, y), in colour or as one channel (the green one). */
function crop(image: Image, x: number, y: number, width: number, height: number, gray: boolean): Image {
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let r = 0; r < height; r++) {
    for (let q = 0; q < width; q++) {
      const src = ((y + r) * image.width + x + q) * 3;
      if (gray) data[r * width + q] = image.data[src + 1];
      else data.set(image.data.subarray(src, src + 3), (r * width + q) * 3);
    }
  }
  return { width, height, channels, data };
}

test("the OpenCV.js reference reproduces the Python reference's outputs (pcb-odd-333x251)", async () => {
  const parity = (file: string) => fileURLToPath(new URL(`../../fixtures/parity/pcb-odd-333x251/${file}`, import.meta.url));
  const [back, front] = await Promise.all([loadImage(parity('input/back.png')), loadImage(parity('input/front.png'))]);
  for (const [name, image] of Object.entries(referenceOutputs(back, front))) {
    assertImageClose(image, readPng(readFileSync(parity(`expected/${name}.png`))), { maxDiff: 1, farFraction: 0 }, `reference ${name}`);
  }
});

const cases: [number, number, number, number, boolean][] = [
  [900, 700, 161, 97, false], // odd, neither divisible by 16
  [1200, 300, 64, 130, true], // gray, tall
  [300, 900, 250, 3, false], // a strip three pixels high
  [1000, 800, 1, 1, false], // one pixel
  [600, 600, 45, 45, true],
];

for (const [x, y, w, h, gray] of cases) {
  test(`${w}x${h} ${gray ? 'gray' : 'colour'} crop: every output within tolerance of OpenCV's float64 result`, async () => {
    const back = crop(far, x, y, w, h, gray);
    const front = crop(near, x, y, w, h, gray);
    const expected = referenceOutputs(back, front);
    const actual = await stackPair(back, front);
    for (const [name, image] of Object.entries(expected)) assertImageClose(actual[name as keyof typeof actual]!, image, {}, `${w}x${h} ${name}`);
  });
}

test.run();
