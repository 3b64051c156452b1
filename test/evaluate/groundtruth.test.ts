// The ground-truth renderer (bench/groundtruth) is sane on tiny scenes: a
// frame equals the source where the depth is that frame's, away from depth
// edges; the truth is the source; out-of-focus regions are a Gaussian blur
// (checked against a 2-D convolution written here); a near object spreads
// over the background in the frames focused on the background. The gather
// model (no occlusion): a frame equals the source exactly wherever the depth
// is that frame's, even next to depth edges, and is elsewhere the Gaussian
// blur of the source of the output pixel's defocus (a 2-D convolution
// renormalised at the image's edges, written here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { oracle, renderGather, renderSmooth, renderStack, type GatherScene, type Layer, type Scene } from '../../bench/groundtruth/render.js';
import { blobsScene, hillsScene, occlusionScene, slopeScene, rampScene, stepsGatherScene, stepsScene, terracesScene, textureFromPhoto, type Texture } from '../../bench/groundtruth/scenes.js';
import type { Image } from '../../lib/image.js';
import { psnr } from '../../lib/evaluate/index.js';
import { fixturePhoto, renderScenes, SIZES } from '../../bench/groundtruth/index.js';
import { rng } from '../helpers/random.js';

const W = 80;
const H = 40;

function randomTexture(seed: number, width = W, height = H): Texture {
  const next = rng(seed);
  return { width, height, data: Float32Array.from({ length: width * height * 3 }, () => Math.round(next() * 255)) };
}

/** The texture as an 8-bit image (its samples are whole numbers). */
const asImage = (t: Texture): Image => ({ width: t.width, height: t.height, channels: 3, data: Uint8Array.from(t.data) });

/** A single plane from one texture, depth given per pixel. */
function planeScene(texture: Texture, depthAt: (x: number, y: number) => number): Scene {
  const depth = Float32Array.from({ length: W * H }, (_, p) => depthAt(p % W, Math.floor(p / W)));
  const layer: Layer = { color: texture.data, alpha: new Float32Array(W * H).fill(1), depth };
  return { name: 'test', description: 'test', width: W, height: H, layers: [layer] };
}

/** Samples of pixels with x in [xFrom, xTo) equal, or their largest difference. */
function maxDiff(a: Image, b: Image, xFrom: number, xTo: number): number {
  let m = 0;
  for (let y = 0; y < H; y++) for (let x = xFrom; x < xTo; x++) for (let c = 0; c < 3; c++) m = Math.max(m, Math.abs(a.data[(y * W + x) * 3 + c] - b.data[(y * W + x) * 3 + c]));
  return m;
}

test('two planes (depth 1 left, 5 right): frames sharp where focused, blurred elsewhere; truth = source; depth map', () => {
  const texture = randomTexture(1);
  const source = asImage(texture);
  const stack = renderStack(planeScene(texture, (x) => (x < 40 ? 1 : 5)), { frames: 8, blurPerFrame: 1.5 });
  assert.is(stack.frames.length, 8);
  assert.equal(stack.truth.data, source.data, 'truth = source');
  // The blur of a plane 4 frames away reaches 3 * 1.5 * 4 = 18 px.
  assert.is(maxDiff(stack.frames[1], source, 0, 40 - 18), 0, 'frame 1, depth-1 side');
  assert.is(maxDiff(stack.frames[5], source, 40 + 18, W), 0, 'frame 5, depth-5 side');
  assert.ok(maxDiff(stack.frames[1], source, 40, W) > 50, 'frame 1 is blurred on the depth-5 side');
  assert.ok(maxDiff(stack.frames[5], source, 0, 40) > 50, 'frame 5 is blurred on the depth-1 side');
  assert.ok(psnr(stack.frames[0], stack.frames[1]) < 30, 'frame 0 differs from frame 1 (defocus 1 vs 0 on the left)');
  assert.equal(Array.from(new Set(stack.indices)).sort(), [1, 5]);
  assert.is(stack.depth.channels, 1);
  assert.is(stack.depth.data[0], Math.round(255 / 7));
  assert.is(stack.depth.data[W - 1], Math.round((255 * 5) / 7));
  // The oracle is the source except within 18 px of the edge.
  const best = oracle(stack);
  assert.is(maxDiff(best, source, 0, 22), 0);
  assert.is(maxDiff(best, source, 58, W), 0);
});

test('an out-of-focus plane is the Gaussian blur of the source (2-D convolution, truncated at 3 sigma)', () => {
  const texture = randomTexture(2);
  const stack = renderStack(planeScene(texture, () => 3), { frames: 4, blurPerFrame: 1 });
  const sigma = 3; // frame 0, depth 3
  const r = 9;
  let total = 0;
  for (let j = -r; j <= r; j++) for (let i = -r; i <= r; i++) total += Math.exp(-(i * i + j * j) / (2 * sigma * sigma));
  let worst = 0;
  for (let y = r; y < H - r; y++) {
    for (let x = r; x < W - r; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = -r; j <= r; j++) for (let i = -r; i <= r; i++) s += Math.exp(-(i * i + j * j) / (2 * sigma * sigma)) * texture.data[((y + j) * W + x + i) * 3 + c];
        worst = Math.max(worst, Math.abs(stack.frames[0].data[(y * W + x) * 3 + c] - s / total));
      }
    }
  }
  assert.ok(worst <= 0.51, `largest difference ${worst}`);
  // Near the image's edges the blur is renormalised (no dark border): the corner is the mean of what the window sees.
  assert.ok(stack.frames[0].data[0] > 60 && stack.frames[0].data[0] < 200, String(stack.frames[0].data[0]));
  assert.equal(stack.frames[3].data, stack.truth.data, 'frame 3 is in focus everywhere');
});

test('occlusion: the out-of-focus near object spreads over the background; in focus it is the object', () => {
  const background = randomTexture(3, 120, 90);
  const object = randomTexture(4, 120, 90);
  const scene = occlusionScene(background, object, 8);
  const stack = renderStack(scene, { frames: 8, blurPerFrame: 1.5 });
  const at = (image: Image, x: number, y: number) => Array.from(image.data.subarray((y * 120 + x) * 3, (y * 120 + x) * 3 + 3));
  const texel = (t: Texture, x: number, y: number) => Array.from(t.data.subarray((y * 120 + x) * 3, (y * 120 + x) * 3 + 3));
  // The disc: centre (0.38 * 120, 0.5 * 90) = (45.6, 45), radius 22.5, depth 6; background at depth 1.
  assert.is(stack.indices[45 * 120 + 45], 6);
  assert.is(stack.indices[45 * 120 + 5], 1);
  assert.equal(at(stack.truth, 45, 45), texel(object, 45, 45), 'truth: the object inside the disc');
  assert.equal(at(stack.truth, 5, 45), texel(background, 5, 45), 'truth: the background outside');
  assert.equal(at(stack.frames[6], 45, 45), texel(object, 45, 45), 'frame 6: the object, sharp');
  assert.equal(at(stack.frames[1], 5, 45), texel(background, 5, 45), 'frame 1: the background, sharp, far from the disc');
  // Just outside the disc (2 px beyond its edge), frame 1 is no longer the background: the blurred disc covers it.
  const x = Math.round(45.6 - 22.5 - 2);
  assert.is(stack.indices[45 * 120 + x], 1);
  assert.equal(at(stack.truth, x, 45), texel(background, x, 45));
  const off = at(stack.frames[1], x, 45).map((v, c) => Math.abs(v - background.data[(45 * 120 + x) * 3 + c]));
  assert.ok(Math.max(...off) > 10, `halo: ${off}`);
});

test('the scenes: ramp, steps and textures', () => {
  const photo: Image = { width: 5, height: 4, channels: 3, data: Uint8Array.from({ length: 60 }, (_, i) => i * 4) };
  // 5x4 to 2x2: k = 2, crop x from 0 (floor((5 - 4) / 2)), y from 0.
  const t = textureFromPhoto(photo, 2, 2);
  const mean = (...pixels: number[]) => [0, 1, 2].map((c) => pixels.reduce((s, p) => s + photo.data[p * 3 + c], 0) / pixels.length);
  assert.equal(Array.from(t.data.subarray(0, 3)), mean(0, 1, 5, 6));
  assert.equal(Array.from(t.data.subarray(9, 12)), mean(12, 13, 17, 18));
  const turned = textureFromPhoto(photo, 2, 2, true);
  assert.equal(Array.from(turned.data.subarray(9, 12)), mean(0, 1, 5, 6));
  assert.throws(() => textureFromPhoto(photo, 6, 4), /smaller than 6x4/);
  const tex = randomTexture(5);
  const ramp = rampScene(tex, 8);
  assert.is(ramp.layers[0].depth[0], 0);
  assert.is(ramp.layers[0].depth[W - 1], 7);
  const steps = renderStack(stepsScene(tex, 8), { frames: 8 });
  assert.equal([0, 20, 40, 60].map((x) => steps.indices[x]), [0, 5, 2, 7]);
  assert.equal([0, 20, 40, 60].map((x) => steps.indices[(H - 1) * W + x]), [4, 1, 6, 3]);
  assert.throws(() => renderStack(ramp, { frames: 1 }), /frames: expected an integer from 2 to 256/);
});

/** The Gaussian blur (sigma) at one pixel, truncated at 3 sigma, renormalised over the pixels inside. */
function blurAt(t: Texture, x: number, y: number, c: number, sigma: number): number {
  const r = Math.ceil(3 * sigma);
  let s = 0;
  let total = 0;
  for (let j = Math.max(0, y - r); j <= Math.min(t.height - 1, y + r); j++) {
    for (let i = Math.max(0, x - r); i <= Math.min(t.width - 1, x + r); i++) {
      const g = Math.exp(-((i - x) ** 2 + (j - y) ** 2) / (2 * sigma * sigma));
      s += g * t.data[(j * t.width + i) * 3 + c];
      total += g;
    }
  }
  return s / total;
}

function gather(texture: Texture, indexAt: (x: number, y: number) => number): GatherScene {
  const indices = Uint16Array.from({ length: texture.width * texture.height }, (_, p) => indexAt(p % texture.width, Math.floor(p / texture.width)));
  return { name: 'test', description: 'test', width: texture.width, height: texture.height, color: texture.data, indices };
}

test('gather: frame k is the source exactly wherever depth = k, right up to depth edges; the oracle is exact', () => {
  const texture = randomTexture(6);
  const source = asImage(texture);
  // Halves at depths 1 and 5, and a speckle of single pixels at depth 7 and 0 (the sharpest edges there are).
  const speckle = rng(9);
  const depths = Array.from({ length: W * H }, (_, p): number => (p % W < 40 ? 1 : 5));
  for (let i = 0; i < 200; i++) depths[Math.floor(speckle() * W * H)] = i % 2 ? 7 : 0;
  const stack = renderGather(gather(texture, (x, y) => depths[y * W + x]), { frames: 8, blurPerFrame: 1.5 });
  assert.is(stack.frames.length, 8);
  assert.equal(stack.truth.data, source.data, 'truth = source');
  let checked = 0;
  for (let k = 0; k < 8; k++) {
    for (let p = 0; p < W * H; p++) {
      if (depths[p] !== k) continue;
      for (let c = 0; c < 3; c++) assert.is(stack.frames[k].data[3 * p + c], source.data[3 * p + c], `frame ${k}, pixel ${p}`);
      checked++;
    }
  }
  assert.is(checked, W * H, 'every pixel checked once');
  const best = oracle(stack);
  assert.equal(best.data, source.data);
  assert.is(psnr(best, stack.truth), Infinity);
  assert.is(psnr(best, stack.truth, { border: 0 }), Infinity);
  assert.equal(Array.from(new Set(stack.indices)).sort(), [0, 1, 5, 7]);
  assert.equal(stack.depth.data, Uint8Array.from(depths, (d) => Math.round((255 * d) / 7)), 'depth map: round(255 i / 7)');
  // Elsewhere, the Gaussian blur of the source at the output pixel's defocus: every pixel of frames 3 and 0.
  for (const k of [3, 0]) {
    let worst = 0;
    let changed = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        const d = Math.abs(depths[p] - k);
        if (d === 0) continue;
        for (let c = 0; c < 3; c++) {
          const v = stack.frames[k].data[3 * p + c];
          worst = Math.max(worst, Math.abs(v - blurAt(texture, x, y, c, 1.5 * d)));
          if (v !== source.data[3 * p + c]) changed++;
        }
      }
    }
    assert.ok(worst <= 0.51, `frame ${k}: largest difference from the blur ${worst}`);
    assert.ok(changed > 0.9 * 3 * (W * H - 100), `frame ${k}: ${changed} samples blurred`);
  }
});

test('gather: a random depth per pixel (every pixel an edge) still gives exact in-focus pixels', () => {
  const texture = randomTexture(10, 30, 20);
  const next = rng(11);
  const depths = Uint16Array.from({ length: 600 }, () => Math.floor(next() * 4));
  const stack = renderGather({ name: 'n', description: 'n', width: 30, height: 20, color: texture.data, indices: depths }, { frames: 4, blurPerFrame: 2 });
  assert.is(psnr(oracle(stack), asImage(texture)), Infinity);
  // Frame 0 at a pixel of depth 2 is the blur of sigma 4 there.
  const p = depths.findIndex((d) => d === 2);
  const x = p % 30;
  const y = Math.floor(p / 30);
  assert.ok(Math.abs(stack.frames[0].data[3 * p] - blurAt(texture, x, y, 0, 4)) <= 0.51);
  assert.throws(() => renderGather({ name: 'n', description: 'n', width: 30, height: 20, color: texture.data, indices: depths }, { frames: 3 }), /depth 3 at pixel \d+ is not a frame of 0 \.\. 2/);
});

test('gather scenes: terraces, blobs, steps-gather', () => {
  const tex = randomTexture(12, 96, 64);
  const terraces = terracesScene(tex, 8);
  // min(7, floor(8 (0.85 x / 96 + 0.15 y / 64))): 0 at the top left, 7 at the bottom right, one frame a step.
  assert.is(terraces.indices[0], 0);
  assert.is(terraces.indices[96 * 64 - 1], 7);
  assert.is(terraces.indices[40], Math.floor((8 * 0.85 * 40) / 96));
  for (let y = 0; y < 64; y++) for (let x = 1; x < 96; x++) assert.ok(terraces.indices[y * 96 + x] - terraces.indices[y * 96 + x - 1] <= 1);
  const blobs = blobsScene(tex, 6);
  const counts = new Array<number>(6).fill(0);
  for (const i of blobs.indices) counts[i]++;
  for (const c of counts) assert.ok(Math.abs(c - (96 * 64) / 6) <= 2, `equal areas: ${counts}`);
  assert.equal(blobsScene(tex, 6).indices, blobs.indices, 'deterministic');
  assert.not.equal(blobsScene(tex, 6, 8).indices, blobs.indices, 'another seed, another field');
  const steps = stepsGatherScene(tex, 8);
  assert.equal([0, 24, 48, 72].map((x) => steps.indices[x]), [0, 5, 2, 7]);
  assert.equal([0, 24, 48, 72].map((x) => steps.indices[63 * 96 + x]), [4, 1, 6, 3]);
  const stack = renderGather(steps);
  assert.is(psnr(oracle(stack), stack.truth), Infinity);
  assert.ok(psnr(stack.frames[0], stack.truth) < 20);
});

test('smooth: every pixel exact in the frame nearest its depth; the blur grows beyond half a frame of defocus', () => {
  const texture = randomTexture(13);
  const source = asImage(texture);
  // Depth rising from 0 at the left to 5 at the right, continuous.
  const depth = Float32Array.from({ length: W * H }, (_, p) => (5 * (p % W)) / (W - 1));
  const stack = renderSmooth({ name: 's', description: 's', width: W, height: H, color: texture.data, depth }, { frames: 6, blurPerFrame: 1.5 });
  assert.is(stack.frames.length, 6);
  assert.equal(stack.truth.data, source.data, 'truth = source');
  assert.equal(stack.indices, Uint16Array.from(depth, (d) => Math.round(d)));
  assert.is(psnr(oracle(stack), stack.truth, { border: 0 }), Infinity, 'the oracle is exact');
  let checked = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      for (const k of [0, 2, 5]) {
        const defocus = Math.max(0, Math.abs(depth[p] - k) - 0.5);
        const sigma = 1.5 * defocus;
        // Within the depth of field: the source exactly. Beyond: the blur of sigma rounded to 0.1 (0.25 above 2 px).
        const rounded = sigma < 2 ? Math.round(sigma * 10) / 10 : 2 + Math.round((sigma - 2) * 4) / 4;
        for (let c = 0; c < 3; c++) {
          const v = stack.frames[k].data[3 * p + c];
          if (defocus === 0) assert.is(v, source.data[3 * p + c], `frame ${k} at x ${x} is in focus`);
          else if (rounded >= 0.2) assert.ok(Math.abs(v - blurAt(texture, x, y, c, rounded)) <= 0.51, `frame ${k} at x ${x}: ${v} against ${blurAt(texture, x, y, c, rounded)}`);
        }
        checked++;
      }
    }
  }
  assert.is(checked, 3 * W * H);
  // Next to where the frame in focus changes (depth 0.5), frames 0 and 1 are both sharp; two frames away, not.
  const edge = stack.indices.findIndex((i) => i === 1);
  assert.equal(Array.from(stack.frames[0].data.subarray(3 * edge, 3 * edge + 3)), Array.from(source.data.subarray(3 * edge, 3 * edge + 3)));
  assert.ok(psnr(stack.frames[3], source) < 20);
  assert.throws(() => renderSmooth({ name: 's', description: 's', width: W, height: H, color: texture.data, depth }, { frames: 5 }), /depth 4\.05\d* at pixel 64 is not within 0 \.\. 4/);
  assert.throws(() => renderSmooth({ name: 's', description: 's', width: W, height: H, color: texture.data, depth }, { dof: -1 }), /dof: expected a number of at least 0/);
});

test('smooth scenes: slope and hills', () => {
  const tex = randomTexture(14, 96, 64);
  const slope = slopeScene(tex, 8);
  // 8 (0.85 x / 96 + 0.15 y / 64) - 1/2, within 0 .. 7: continuous, each frame nearest over a band of equal width.
  assert.is(slope.depth[0], 0);
  assert.is(slope.depth[96 * 64 - 1], 7);
  assert.ok(Math.abs(slope.depth[40] - (8 * (0.85 * 40)) / 96 + 0.5) < 1e-5);
  for (let y = 0; y < 64; y++) for (let x = 1; x < 96; x++) assert.ok(Math.abs(slope.depth[y * 96 + x] - slope.depth[y * 96 + x - 1]) <= 8 * 0.85 / 96 + 1e-5);
  const hills = hillsScene(tex, 6);
  let low = 0;
  let high = 0;
  for (const d of hills.depth) {
    assert.ok(d >= 0 && d <= 5);
    if (d === 0) low++;
    if (d === 5) high++;
  }
  // The field's 1st and 99th percentiles are stretched to -1/2 and N - 1/2: a little of each end is flat.
  assert.ok(low > 0 && high > 0 && low < 0.2 * 96 * 64 && high < 0.2 * 96 * 64, `${low} ${high}`);
  assert.equal(hillsScene(tex, 6).depth, hills.depth, 'deterministic');
});

test('renderScenes: in memory, each scene with its kind, depth map, band and exact oracle where there is no occlusion', async () => {
  const scenes = await renderScenes({ width: 64, height: 48, frames: 4, scenes: ['terraces', 'steps-gather', 'occlusion', 'slope'], photo: fixturePhoto('pcb_007.jpg'), border: 4, band: 3 });
  assert.equal(scenes.map((s) => [s.name, s.kind]), [
    ['terraces', 'stepped'],
    ['steps-gather', 'stepped'],
    ['occlusion', 'occlusion'],
    ['slope', 'smooth'],
  ]);
  for (const s of scenes) {
    assert.is(s.frames.length, 4);
    assert.equal([s.truth.width, s.truth.height, s.truth.channels], [64, 48, 3]);
    assert.equal(s.depth.data, Uint8Array.from(s.indices, (i) => Math.round((255 * i) / 3)));
  }
  const [terraces, steps, occlusion, slope] = scenes;
  assert.is(psnr(oracle(slope), slope.truth), Infinity);
  assert.is(slope.band, undefined);
  assert.is(psnr(oracle(terraces), terraces.truth), Infinity);
  assert.is(psnr(oracle(steps), steps.truth), Infinity);
  assert.ok(psnr(oracle(occlusion), occlusion.truth) < 60, 'occlusion: the oracle is not exact');
  // Terraces step one frame at a time: no band. The tiles jump by more than one frame, so they have one.
  assert.is(terraces.band, undefined);
  assert.is(terraces.bandShare, 0);
  assert.ok(steps.band instanceof Uint8Array && steps.bandShare > 0.1 && steps.bandShare < 0.9, String(steps.bandShare));
  assert.equal(SIZES.quick, { width: 512, height: 384 });
  let message = '';
  await renderScenes({ scenes: ['nope' as 'ramp'] }).catch((e: Error) => (message = e.message));
  assert.match(message, /scenes: expected slope, hills, terraces, blobs, steps-gather, ramp, steps, occlusion, custom but received "nope"/);
  await renderScenes({ scenes: ['custom'] }).catch((e: Error) => (message = e.message));
  assert.match(message, /custom needs a depth map/);
});

test.run();
