// The quality metrics against straightforward computations written here from
// their definitions (a 2-D window and a double loop per SSIM window, a plain
// sum for PSNR), and against values known in closed form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Image } from '../../lib/image.js';
import { bandAroundEdges, depthIndices, depthWithin, meanSquaredError, psnr, shareOff, ssim, SSIM_CONSTANTS } from '../../lib/evaluate/index.js';
import { rng } from '../helpers/random.js';

function image(width: number, height: number, channels: 1 | 3, values: (i: number) => number, bits: 8 | 16 = 8): Image {
  const data = bits === 8 ? new Uint8Array(width * height * channels) : new Uint16Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = values(i);
  return { width, height, channels, data };
}

/** A random image and a noisy, shifted copy of it. */
function pair(width: number, height: number, channels: 1 | 3, seed: number, bits: 8 | 16 = 8): [Image, Image] {
  const next = rng(seed);
  const top = bits === 8 ? 255 : 65535;
  // Smooth-ish content (so that SSIM is not near 0) plus texture.
  const a = image(width, height, channels, (i) => {
    const p = Math.floor(i / channels);
    const x = p % width;
    const y = Math.floor(p / width);
    return Math.round(top * (0.5 + 0.3 * Math.sin(x / 3 + (i % channels)) * Math.cos(y / 4)) + (next() - 0.5) * top * 0.1);
  }, bits);
  const b = image(width, height, channels, (i) => Math.min(top, Math.max(0, a.data[i] + Math.round((next() - 0.3) * top * 0.15))), bits);
  return [a, b];
}

/** SSIM straight from Wang et al.: each window position, each channel, a 2-D Gaussian window, weighted moments. */
function naiveSsim(a: Image, b: Image, border = 0, mask?: Uint8Array): number {
  const { window: size, sigma, k1, k2 } = SSIM_CONSTANTS;
  const top = a.data instanceof Uint16Array ? 65535 : 255;
  const c1 = (k1 * top) ** 2;
  const c2 = (k2 * top) ** 2;
  const r = (size - 1) / 2;
  const w: number[][] = [];
  let total = 0;
  for (let i = 0; i < size; i++) {
    w.push([]);
    for (let j = 0; j < size; j++) {
      w[i].push(Math.exp(-((i - r) ** 2 + (j - r) ** 2) / (2 * sigma * sigma)));
      total += w[i][j];
    }
  }
  let sum = 0;
  let count = 0;
  for (let c = 0; c < a.channels; c++) {
    for (let cy = border + r; cy < a.height - border - r; cy++) {
      for (let cx = border + r; cx < a.width - border - r; cx++) {
        if (mask && !mask[cy * a.width + cx]) continue;
        let ma = 0, mb = 0;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const at = ((cy - r + i) * a.width + cx - r + j) * a.channels + c;
            ma += (w[i][j] / total) * a.data[at];
            mb += (w[i][j] / total) * b.data[at];
          }
        }
        let va = 0, vb = 0, cov = 0;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const at = ((cy - r + i) * a.width + cx - r + j) * a.channels + c;
            const weight = w[i][j] / total;
            va += weight * (a.data[at] - ma) ** 2;
            vb += weight * (b.data[at] - mb) ** 2;
            cov += weight * (a.data[at] - ma) * (b.data[at] - mb);
          }
        }
        sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        count++;
      }
    }
  }
  return sum / count;
}

function naivePsnr(a: Image, b: Image, border = 0, mask?: Uint8Array): number {
  const top = a.data instanceof Uint16Array ? 65535 : 255;
  let sq = 0;
  let n = 0;
  for (let y = border; y < a.height - border; y++) {
    for (let x = border; x < a.width - border; x++) {
      if (mask && !mask[y * a.width + x]) continue;
      for (let c = 0; c < a.channels; c++) {
        const i = (y * a.width + x) * a.channels + c;
        sq += (a.data[i] - b.data[i]) ** 2;
        n++;
      }
    }
  }
  return 10 * Math.log10((top * top) / (sq / n));
}

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);

test('identical images: PSNR Infinity, SSIM 1, none off', () => {
  for (const [a] of [pair(20, 17, 3, 1), pair(16, 12, 1, 2, 16)]) {
    const copy = { ...a, data: a.data.slice() };
    assert.is(psnr(a, copy), Infinity);
    assert.is(meanSquaredError(a, copy), 0);
    close(ssim(a, copy), 1, 1e-12, 'ssim');
    assert.is(shareOff(a, copy), 0);
  }
});

test('a constant offset of 5 levels: PSNR = 10 log10(255² / 25), at 8 and 16 bits', () => {
  const a = image(32, 24, 3, (i) => 10 + ((i * 37) % 230));
  const b = image(32, 24, 3, (i) => a.data[i] + 5);
  close(psnr(a, b), 10 * Math.log10((255 * 255) / 25), 1e-9, 'psnr 8-bit');
  close(psnr(b, a, { border: 4 }), 34.15140352195873, 1e-9, 'psnr 8-bit, border');
  const a16 = image(32, 24, 3, (i) => a.data[i] * 257, 16);
  const b16 = image(32, 24, 3, (i) => b.data[i] * 257, 16);
  close(psnr(a16, b16), 34.15140352195873, 1e-9, 'psnr 16-bit');
  // Off by 5 > 2 everywhere; not off by more than 5.
  assert.is(shareOff(a, b), 1);
  assert.is(shareOff(a, b, { levels: 5 }), 0);
  assert.is(shareOff(a16, b16), 1);
  assert.is(shareOff(a16, b16, { levels: 5 }), 0);
  assert.is(shareOff(a16, b16, { levels: 4.99 }), 1);
});

test('SSIM equals the straightforward computation (gray and colour, 8 and 16 bits, border, mask)', () => {
  const next = rng(99);
  for (const [w, h, ch, bits, border] of [[11, 11, 1, 8, 0], [23, 19, 3, 8, 0], [30, 26, 3, 8, 4], [25, 21, 1, 16, 2], [40, 12, 3, 8, 0]] as const) {
    const [a, b] = pair(w, h, ch, w * h + ch, bits);
    const label = `${w}x${h}x${ch} ${bits}-bit border ${border}`;
    const expected = naiveSsim(a, b, border);
    assert.ok(expected > 0.1 && expected < 0.99, `${label}: a discriminating case (${expected})`);
    close(ssim(a, b, { border }), expected, 1e-9, `ssim ${label}`);
    close(psnr(a, b, { border }), naivePsnr(a, b, border), 1e-9, `psnr ${label}`);
    const mask = new Uint8Array(w * h).map(() => (next() < 0.4 ? 1 : 0));
    mask[(h >> 1) * w + (w >> 1)] = 1;
    close(ssim(a, b, { border, mask }), naiveSsim(a, b, border, mask), 1e-9, `ssim ${label} masked`);
    close(psnr(a, b, { border, mask }), naivePsnr(a, b, border, mask), 1e-9, `psnr ${label} masked`);
  }
});

test('SSIM: a constant offset lowers luminance similarity only, as the formula says', () => {
  const a = image(20, 20, 1, (i) => 60 + ((i * 53) % 120));
  const b = image(20, 20, 1, (i) => a.data[i] + 30);
  const value = ssim(a, b);
  close(value, naiveSsim(a, b), 1e-9, 'ssim');
  assert.ok(value < 1 && value > 0.8, String(value));
  assert.ok(ssim(b, a) === value, 'symmetric');
});

test('shareOff counts samples off by more than `levels`', () => {
  const a = image(10, 10, 3, () => 100);
  const b = image(10, 10, 3, (i) => (i < 30 ? 103 : i < 60 ? 98 : 102));
  assert.is(shareOff(a, b), 30 / 300);
  assert.is(shareOff(a, b, { levels: 1 }), 300 / 300);
  assert.is(shareOff(a, b, { levels: 0 }), 1);
  assert.is(shareOff(a, b, { levels: 3 }), 0);
  // The first 10 pixels are row 0: a border of 1 leaves 8x8 pixels, none of them in row 0.
  assert.is(shareOff(a, b, { border: 1 }), 0);
  const mask = new Uint8Array(100);
  mask[5] = mask[55] = 1;
  assert.is(shareOff(a, b, { mask }), 0.5);
});

test('depthIndices inverts round(M i / (N - 1)) for 8 and 16 bits and every N', () => {
  for (const bits of [8, 16] as const) {
    const top = bits === 8 ? 255 : 65535;
    for (const frames of [2, 3, 7, 8, 13, 100, 256]) {
      const map = image(frames, 1, 1, (i) => Math.round((top * i) / (frames - 1)), bits);
      assert.equal(Array.from(depthIndices(map, frames)), Array.from({ length: frames }, (_, i) => i), `${bits}-bit N=${frames}`);
    }
  }
  const rgb = image(3, 1, 3, (i) => [0, 0, 0, 128, 128, 128, 255, 255, 255][i]);
  assert.equal(Array.from(depthIndices(rgb, 3)), [0, 1, 2]);
  assert.throws(() => depthIndices(image(2, 1, 3, (i) => i), 3), /Expected map to be a gray depth map \(R = G = B\) but pixel \(0, 0\) is 0,1,2/);
  assert.throws(() => depthIndices(image(2, 1, 1, () => 0), 257), /Expected an integer from 2 to 256 for frames but received 257 \(number\)/);
  assert.throws(() => depthIndices(image(2, 1, 1, () => 0), 1), /Expected an integer from 2 to 256 for frames/);
});

test('depthWithin: the share within one frame, or any tolerance; maps of different bit depths', () => {
  const frames = 8;
  const truthIdx = [0, 1, 2, 3, 4, 5, 6, 7, 7, 0];
  const resultIdx = [0, 2, 4, 3, 7, 5, 5, 7, 5, 1];
  const truth = image(5, 2, 1, (i) => Math.round((255 * truthIdx[i]) / 7));
  const result = image(5, 2, 1, (i) => Math.round((65535 * resultIdx[i]) / 7), 16);
  // |diff| = 0 1 2 0 3 0 1 0 2 1: within 1 → 7 of 10; exact → 4; within 2 → 9.
  assert.is(depthWithin(result, truth, frames), 0.7);
  assert.is(depthWithin(result, truth, frames, { tolerance: 0 }), 0.4);
  assert.is(depthWithin(result, truth, frames, { tolerance: 2 }), 0.9);
  const mask = new Uint8Array(10);
  mask[2] = mask[4] = 1;
  assert.is(depthWithin(result, truth, frames, { mask }), 0);
  assert.throws(() => depthWithin(result, truth, 300), /Expected an integer from 2 to 256 for frames but received 300/);
  assert.throws(() => depthWithin(result, truth, frames, { tolerance: -1 }), /Expected an integer of at least 0 for tolerance but received -1/);
  assert.throws(() => depthWithin(result, image(5, 3, 1, () => 0), frames), /Expected truth of the same size as result \(5x2, 1 channel, 16-bit\) but received 5x3, 1 channel, 8-bit/);
});

test('bandAroundEdges equals a brute-force distance to the discontinuities', () => {
  const next = rng(5);
  for (const [w, h, radius, jump] of [[1, 1, 3, 1], [9, 1, 2, 1], [17, 13, 3, 1], [31, 23, 4.5, 1], [24, 30, 0, 0], [40, 33, 7, 2]] as const) {
    // Blocky depth with some smooth one-frame steps.
    const blocks = Array.from({ length: 16 }, () => Math.floor(next() * 8));
    const depth = Array.from({ length: w * h }, (_, p) => {
      const x = p % w;
      const y = Math.floor(p / w);
      return blocks[Math.floor((x * 4) / w) + 4 * Math.floor((y * 4) / h)] + (x % 7 === 0 ? 1 : 0);
    });
    const edges: [number, number][] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const d = depth[y * w + x];
        const neighbours = [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]].filter(([u, v]) => u >= 0 && v >= 0 && u < w && v < h);
        if (neighbours.some(([u, v]) => Math.abs(depth[v * w + u] - d) > jump)) edges.push([x, y]);
      }
    }
    const expected = depth.map((_, p) => (edges.some(([ex, ey]) => (ex - (p % w)) ** 2 + (ey - Math.floor(p / w)) ** 2 <= radius * radius) ? 1 : 0));
    const mask = bandAroundEdges(depth, w, h, radius, { jump });
    assert.equal(Array.from(mask), expected, `${w}x${h} radius ${radius} jump ${jump}`);
    if (w * h > 100) assert.ok(expected.includes(1) && expected.includes(0), 'a discriminating case');
  }
  assert.equal(Array.from(bandAroundEdges([0, 1, 2, 3], 4, 1, 10)), [0, 0, 0, 0], 'one-frame steps are no edge by default');
  assert.equal(Array.from(bandAroundEdges([0, 1, 2, 3], 4, 1, 0, { jump: 0.5 })), [1, 1, 1, 1]);
});

test('bad arguments: clear errors', () => {
  const [a, b] = pair(20, 20, 3, 3);
  const gray = image(20, 20, 1, () => 0);
  const small = image(19, 20, 3, () => 0);
  const deep = image(20, 20, 3, () => 0, 16);
  for (const metric of [psnr, ssim, shareOff]) {
    assert.throws(() => metric(a, small), /Expected b of the same size as a \(20x20, 3 channels, 8-bit\) but received 19x20, 3 channels, 8-bit/);
    assert.throws(() => metric(a, gray), /but received 20x20, 1 channel, 8-bit/);
    assert.throws(() => metric(a, deep), /but received 20x20, 3 channels, 16-bit/);
    assert.throws(() => metric(a, { width: 1 } as unknown as Image), /Expected an image \(\{ width, height, channels, data \}\) for b but received a Object/);
    assert.throws(() => metric(a, b, { border: 10 }), /Expected an integer from 0 to 9 for border but received 10 \(number\)/);
    assert.throws(() => metric(a, b, { border: 1.5 }), /for border but received 1.5/);
    assert.throws(() => metric(a, b, { mask: new Uint8Array(10) }), /Expected 400 values \(20x20\) for mask but received a Uint8Array of length 10/);
    assert.throws(() => metric(a, b, { mask: [1] as unknown as Uint8Array }), /Expected a Uint8Array for mask but received an array of length 1/);
    assert.throws(() => metric(a, b, { mask: new Uint8Array(400) }), /Expected a mask that selects at least one pixel inside the border but it selects none/);
  }
  assert.throws(() => ssim(a, b, { border: 5 }), /Expected a border that leaves at least 11x11 pixels of 20x20 for border but received 5 \(number\)/);
  assert.throws(() => ssim(image(10, 30, 1, () => 0), image(10, 30, 1, () => 0)), /at least 11x11 pixels of 10x30/);
  assert.throws(() => shareOff(a, b, { levels: -1 }), /Expected a number of at least 0 for levels but received -1/);
  assert.throws(() => bandAroundEdges([0, 1], 3, 1, 2), /Expected 3 values \(3x1\) for depth but received an array of length 2/);
  assert.throws(() => bandAroundEdges('ab' as unknown as number[], 2, 1, 2), /Expected an array of depths for depth/);
  assert.throws(() => bandAroundEdges([0, 1], 2, 1, -1), /Expected a number of at least 0 for radius but received -1/);
  assert.throws(() => bandAroundEdges([0, 1], 2, 1, 1, { jump: Number.NaN }), /Expected a number of at least 0 for jump but received NaN/);
  assert.throws(() => bandAroundEdges([0, 1], 2, 0, 1), /Expected an integer of at least 1 for height but received 0/);
});

test.run();
