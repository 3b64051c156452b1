// The wide decision of the depth-map methods (lib/kernels/gate.ts): cell
// means, their wide means, and the gate that hands weak local decisions to
// them; then the whole method on the case it exists for: a flat area next to
// a strong edge, where a defocused frame's blur outscores the sharp frame.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cellMeans, gateIndex, wideMeans } from '../../lib/kernels/gate.js';
import { dmapFold, selectFold, stackFrames, type Image } from '../../lib/index.js';

test('cellMeans: the mean of each block, smaller blocks at the edges, -Infinity where a pixel is uncovered', () => {
  // 5x3 pixels, value = x + 10 y, cells of 2: 3 x 2 cells.
  const value = Float32Array.from({ length: 15 }, (_, p) => (p % 5) + 10 * Math.floor(p / 5));
  const out = cellMeans(value, 5, 3, 2, new Float32Array(6));
  assert.equal(Array.from(out), [5.5, 7.5, 9, 20.5, 22.5, 24]);
  const coverage = new Uint8Array(15).fill(1);
  coverage[13] = 0; // x 3, y 2: the cell (1, 1)
  const covered = cellMeans(value, 5, 3, 2, new Float32Array(6), coverage);
  assert.equal(Array.from(covered), [5.5, 7.5, 9, 20.5, -Infinity, 24]);
});

test('wideMeans: the mean over the cells around, clamped, leaving out -Infinity; -Infinity stays', () => {
  const cells = Float32Array.from([1, 2, 3, 4, -Infinity, 6]);
  const out = wideMeans(cells, 3, 2, 1, new Float32Array(6));
  assert.equal(Array.from(out), Array.from(Float32Array.from([(1 + 2 + 4) / 3, (1 + 2 + 3 + 4 + 6) / 5, (2 + 3 + 6) / 3, (1 + 2 + 4) / 3, -Infinity, (2 + 3 + 6) / 3])));
});

test('gateIndex: a pixel whose best local measure is under gate x the wide best takes the wide frame', () => {
  // 4x2 pixels, cells of 2: two cells. Wide best 10 (frame 3) and 10 (frame 1, but -Infinity: no frame covers it whole).
  const best = Float32Array.from([0.5, 2.9, 3, 9, 0, 0, 0, 0]);
  const index = Uint16Array.from([0, 0, 0, 0, 2, 3, 2, 2]);
  const changed = gateIndex(best, index, 4, 2, 2, Float32Array.from([10, -Infinity]), Uint16Array.from([3, 1]), 0.3);
  // Cell 0 holds pixels 0, 1, 4, 5: under 3 are 0, 1 and 4 (5 is frame 3 already); 2 and 3 are in cell 1.
  assert.equal(Array.from(index), [3, 3, 0, 0, 3, 3, 2, 2]);
  assert.is(changed, 3);
});

/** A vertical edge, 30 | 200, sharp, and the same blurred across x (sigma 4). */
function edgePair(width: number, height: number): { blurred: Image; sharp: Image } {
  const v = (x: number) => (x < width / 2 ? 30 : 200);
  const sigma = 4;
  const sharp = new Uint8Array(width * height * 3);
  const blurred = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let w = 0;
      for (let i = -12; i <= 12; i++) {
        const k = Math.exp(-(i * i) / (2 * sigma * sigma));
        s += k * v(Math.min(width - 1, Math.max(0, x + i)));
        w += k;
      }
      for (let c = 0; c < 3; c++) {
        sharp[3 * (y * width + x) + c] = v(x);
        blurred[3 * (y * width + x) + c] = Math.round(s / w);
      }
    }
  }
  return { blurred: { width, height, channels: 3, data: blurred }, sharp: { width, height, channels: 3, data: sharp } };
}

test('a flat area next to a strong edge: without the gate the blurred frame wins beside the edge; with it (the default), the sharp one', async () => {
  const { blurred, sharp } = edgePair(96, 64);
  const worst = (image: Image) => Array.from(image.data).reduce((m, v, i) => Math.max(m, Math.abs(v - sharp.data[i])), 0);
  for (const make of [dmapFold, selectFold]) {
    const off = await stackFrames([blurred, sharp], { align: false, method: make({ gate: 0 }) });
    assert.ok(worst(off.image) > 40, `gate 0: ${worst(off.image)}`);
    const on = await stackFrames([blurred, sharp], { align: false, method: make() });
    assert.is(worst(on.image), 0, 'the default gate: the sharp frame everywhere it differs');
  }
  assert.throws(() => dmapFold({ gate: 2 }), /gate/);
});

test.run();
