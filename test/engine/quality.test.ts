// The methods against ground truth: small rendered stacks without occlusion
// (bench/groundtruth: stepped, the gather model on whole-frame depths, and
// smooth, a continuous surface with a depth of field of one frame; in both
// each pixel's truth is exactly in some frame), judged by PSNR against the
// truth the renderer made. Thresholds are a little below what was measured
// when they were set (the default dmap: 46.1 dB on terraces, 43.0 dB on
// steps-gather, 98.5 dB on slope, 75.6 dB on hills; select 47.1 and 45.5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { psnr, shareOff, stackFrames, type Image } from '../../lib/index.js';
import { jumpMask } from '../../lib/kernels/fold.js';
import { dmapFold, selectFold } from '../../lib/strategies/fold/dmap.js';
import { hybridFold } from '../../lib/strategies/fold/hybrid.js';
import { fixturePhoto, renderScenes, type GroundTruth } from '../../bench/groundtruth/index.js';

let scenes: GroundTruth[] | undefined;
const rendered = async () => (scenes ??= await renderScenes({ width: 256, height: 192, frames: 5, scenes: ['terraces', 'steps-gather', 'slope', 'hills'], photo: fixturePhoto('pcb_004.jpg'), secondPhoto: fixturePhoto('pcb_007.jpg') }));
const border = 16;

test('the default method on stacks without occlusion', async () => {
  const [terraces, steps] = await rendered();
  const expected = { terraces: 45, 'steps-gather': 42 } as Record<string, number>;
  for (const scene of [terraces, steps]) {
    const { image, report } = await stackFrames(scene.frames, { align: false });
    const p = psnr(image, scene.truth, { border });
    assert.ok(p >= expected[scene.name], `${report.method} on ${scene.name}: ${p.toFixed(2)} dB`);
  }
});

test('the default method on smooth stacks (no occlusion, continuous depth): at least 70 dB, under 0.01 % of samples off by more than 2', async () => {
  const [, , slope, hills] = await rendered();
  for (const scene of [slope, hills]) {
    const { image } = await stackFrames(scene.frames, { align: false });
    const p = psnr(image, scene.truth, { border });
    assert.ok(p >= 70, `the default on ${scene.name}: ${p.toFixed(2)} dB`);
    assert.ok(shareOff(image, scene.truth, { border }) < 1e-4, scene.name);
  }
});

test('select copies each pixel from one frame and beats the default where there is no occlusion', async () => {
  const [terraces, steps] = await rendered();
  for (const scene of [terraces, steps]) {
    const { image } = await stackFrames(scene.frames, { align: false, method: selectFold() });
    const p = psnr(image, scene.truth, { border });
    assert.ok(p >= 45, `select on ${scene.name}: ${p.toFixed(2)} dB`);
    const n = image.width * image.height;
    let foreign = 0;
    for (let q = 0; q < n; q++) {
      const from = (f: Image) => f.data[3 * q] === image.data[3 * q] && f.data[3 * q + 1] === image.data[3 * q + 1] && f.data[3 * q + 2] === image.data[3 * q + 2];
      if (!scene.frames.some(from)) foreign++;
    }
    assert.is(foreign, 0, `${scene.name}: pixels found in no frame`);
  }
});

test('hybrid: the selection where the depth map is flat, the pyramid near its jumps', async () => {
  const [terraces, steps] = await rendered();
  // No jump counts (jump 4 with 5 frames): exactly the selection.
  const sel = await stackFrames(terraces.frames, { align: false, method: selectFold() });
  const hyb = await stackFrames(terraces.frames, { align: false, method: hybridFold({ jump: 4 }) });
  assert.is(hyb.image.data.filter((v, i) => v !== sel.image.data[i]).length, 0);
  // The method name is the strategy with its defaults.
  const named = await stackFrames(terraces.frames, { align: false, method: 'hybrid' });
  const made = await stackFrames(terraces.frames, { align: false, method: hybridFold() });
  assert.equal(named.image.data, made.image.data);
  // Steps: equal to the selection away from the jumps, the pyramid's own values at them.
  const s = await stackFrames(steps.frames, { align: false, method: selectFold(), depthMap: true });
  const h = await stackFrames(steps.frames, { align: false, method: hybridFold({ edge: 6, feather: 4 }) });
  const pyr = await stackFrames(steps.frames, { align: false, method: 'pyramid' });
  const { width, height } = h.image;
  const index = Uint16Array.from(s.depth!.data, (v) => Math.round((v * 4) / 255));
  const near = jumpMaskFor(index, width, height, 6 + 2, 1);
  const core = jumpMaskFor(index, width, height, 6 - 2, 1);
  let away = 0, differing = 0, atJumps = 0, asPyramid = 0;
  for (let p = 0; p < width * height; p++) {
    const same = [0, 1, 2].every((c) => h.image.data[3 * p + c] === s.image.data[3 * p + c]);
    if (!near[p]) {
      away++;
      if (!same) differing++;
    } else if (core[p]) {
      atJumps++;
      if ([0, 1, 2].every((c) => h.image.data[3 * p + c] === pyr.image.data[3 * p + c])) asPyramid++;
    }
  }
  assert.ok(away > 0 && atJumps > 0);
  assert.is(differing, 0);
  assert.is(asPyramid, atJumps);
  assert.throws(() => hybridFold({ edge: -1 }), /edge/);
  assert.throws(() => dmapFold({ eps: 0 }), /eps/);
});

function jumpMaskFor(map: Uint16Array, width: number, height: number, r: number, jump: number): Uint8Array {
  return jumpMask(map, width, height, r, jump, new Uint8Array(width * height));
}

test.run();
