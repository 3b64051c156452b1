// Every method respects coverage: a frame that covers nothing (as a warp
// that left no data) is never the sharpest, however sharp it looks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackFrames } from '../../lib/engine/stack.js';
import { StackMethod, type AlignFunction } from '../../lib/engine/options.js';
import { excludeUncovered, shrinkCoverage } from '../../lib/kernels/coverage.js';
import { psnr, stripeStack, texture } from './synthetic.js';

const sharp = texture(64, 48, 5);
// Three frames sharp in their stripes, and a fourth of another texture, sharp everywhere.
const frames = [...stripeStack(sharp, 3), texture(64, 48, 99)];
const noData: AlignFunction = async (image, index) => ({
  image,
  ...(index === 3 ? { coverage: new Uint8Array(image.width * image.height) } : {}),
});

for (const method of Object.values(StackMethod)) {
  test(`${method}: a frame without coverage does not enter the result`, async () => {
    const { image } = await stackFrames(frames, { method, align: noData, reference: 1 });
    // Without the stranger every method gives 30 dB or more (stack.test.ts).
    assert.ok(psnr(image, sharp) >= 30, `PSNR ${psnr(image, sharp).toFixed(2)} dB`);
  });
}

test('without coverage the stranger wins (the test can fail)', async () => {
  const { image } = await stackFrames(frames, { method: 'select', align: false, reference: 1 });
  assert.ok(psnr(image, sharp) < 20, `PSNR ${psnr(image, sharp).toFixed(2)} dB`);
});

test('shrinkCoverage: a coarse pixel is covered when all the fine ones under it are; excludeUncovered', () => {
  const fine = Uint8Array.from([1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // 5x3
  assert.equal([...shrinkCoverage(fine, 5, 3, new Uint8Array(6))], [0, 1, 1, 1, 1, 1]);
  assert.equal([...excludeUncovered(Float32Array.from([1, 2, 3]), Uint8Array.from([1, 0, 1]))], [1, -Infinity, 3]);
});

test.run();
