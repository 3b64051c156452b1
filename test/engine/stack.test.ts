// The N-frame engine on a synthetic stack with a known answer, frames given
// every way, the report, validation, warnings, abort and buffer accounting.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stack } from '../../lib/engine/node.js';
import { FrameSizeError, outwardOrder, stackFrames } from '../../lib/engine/stack.js';
import { DEFAULT_STACK_METHOD, StackMethod, type AlignFunction, type Transform } from '../../lib/engine/options.js';
import { floatMeasure } from '../../lib/strategies/fold/measures.js';
import type { Image } from '../../lib/image.js';
import { BufferPool } from '../../lib/kernels/pool.js';
import { SerialExecutor } from '../../lib/parallel/executor.js';
import { pngFile } from '../helpers/files.js';
import { mean, psnr, stripe, stripeStack, texture } from './synthetic.js';

/** A pool that counts the arrays it has out. */
class CountingPool extends BufferPool {
  readonly out = new Set<ArrayBufferView>();
  override float32(length: number): Float32Array {
    const a = super.float32(length);
    this.out.add(a);
    return a;
  }
  override uint8(length: number): Uint8Array {
    const a = super.uint8(length);
    this.out.add(a);
    return a;
  }
  override uint16(length: number): Uint16Array {
    const a = super.uint16(length);
    this.out.add(a);
    return a;
  }
  override release(...arrays: (Float32Array | Uint8Array | Uint16Array | undefined)[]): void {
    for (const a of arrays) if (a) this.out.delete(a);
    super.release(...arrays);
  }
}

async function rejects(run: () => Promise<unknown>, type: new (...a: never[]) => Error, message: string | RegExp): Promise<Error> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, type);
    if (typeof message === 'string') assert.is((error as Error).message, message);
    else assert.match((error as Error).message, message);
    return error as Error;
  }
  assert.unreachable(`expected ${type.name}: ${message}`);
  throw new Error('unreachable');
}

/** How many pixels of the interior of each stripe the depth map gets wrong. */
function depthErrors(depth: Image, frames: number, margin: number): number {
  let wrong = 0;
  for (let i = 0; i < frames; i++) {
    const [x0, x1] = stripe(i, frames, depth.width);
    const expected = Math.round((255 * i) / (frames - 1));
    for (let y = margin; y < depth.height - margin; y++) for (let x = x0 + margin; x < x1 - margin; x++) if (depth.data[y * depth.width + x] !== expected) wrong++;
  }
  return wrong;
}

// Each frame is the sharp image in its own stripe and blurred (box radius 2,
// twice) elsewhere: the mean of the frames, and any single frame, are about
// 20 dB from the truth. A method that took one stripe from a wrong frame
// would be near 20 + 10 log10(N), 25 to 27 dB; 30 dB means every stripe
// comes from its sharp frame, seams included to within a few pixels.
const MIN_PSNR = 30;

for (const n of [3, 5]) {
  test(`N=${n}: every method recovers the sharp image, and the depth map names each stripe's frame`, async () => {
    const sharp = texture(150, 60, n);
    const frames = stripeStack(sharp, n);
    assert.ok(psnr(mean(frames), sharp) < 23);
    for (const method of Object.values(StackMethod)) {
      const { image, depth } = await stackFrames(frames, { align: false, method, depthMap: true });
      const p = psnr(image, sharp);
      assert.ok(p >= MIN_PSNR, `${method}: PSNR ${p.toFixed(2)} dB`);
      assert.equal([depth!.width, depth!.height, depth!.channels, depth!.data.constructor.name], [150, 60, 1, 'Uint8Array']);
      assert.is(depthErrors(depth!, n, 8), 0, `${method}: depth map`);
    }
  });
}

test('strategies built by hand: a depth map without majority filtering', async () => {
  const { pyramidFold } = await import('../../lib/strategies/fold/pyramid.js');
  const { gradientFold } = await import('../../lib/strategies/fold/gradient.js');
  const frames = stripeStack(texture(60, 40, 13), 3);
  for (const method of [pyramidFold({ depthMajority: 1, majority: 1 }), gradientFold({ depthMajority: 1 })]) {
    const { depth, report } = await stackFrames(frames, { align: false, method, depthMap: true });
    assert.is(report.method, method.name);
    assert.is(depth!.data[20 * 60 + 10], 0);
    assert.is(depth!.data[20 * 60 + 50], 255);
  }
  assert.throws(() => pyramidFold({ depthMajority: 4 }), /depthMajority/);
});

test('the default method is the one constant', async () => {
  const frames = stripeStack(texture(40, 30, 2), 3);
  const { report } = await stackFrames(frames, { align: false });
  assert.is(report.method, DEFAULT_STACK_METHOD);
});

test('a 16-bit depth map, and 16-bit frames give a 16-bit result', async () => {
  const frames = stripeStack(texture(60, 40, 4), 3).map((f) => ({ ...f, data: Uint16Array.from(f.data, (v) => v * 257) }));
  const { image, depth } = await stackFrames(frames, { align: false, method: 'select', depthMap: true, sixteen: true });
  assert.instance(image.data, Uint16Array);
  assert.instance(depth!.data, Uint16Array);
  assert.equal([...new Set(depth!.data)].sort((a, b) => a - b), [0, 32768, 65535]);
  // select copies samples: every one is one of a frame's, exactly.
  for (let i = 0; i < image.data.length; i += 97) assert.ok(frames.some((f) => f.data[i] === image.data[i]), `sample ${i}`);
});

test('frames as paths, images and functions give the same result; the report tells each frame', async () => {
  const frames = stripeStack(texture(48, 32, 5), 4);
  const dir = await mkdtemp(join(tmpdir(), 'focus-stacking-engine-'));
  try {
    const path = join(dir, 'f1.png');
    await writeFile(path, pngFile(frames[1]));
    let calls = 0;
    const lazy = async () => {
      calls++;
      return frames[3];
    };
    const mixed = await stack([frames[0], path, frames[2], lazy], { align: false, method: 'dmap', threads: 1 });
    const plain = await stackFrames(frames, { align: false, method: 'dmap' });
    assert.equal(Array.from(mixed.image.data), Array.from(plain.image.data));
    // Called once per reading: dmap reads frame 3 again, as it names pixels.
    assert.is(calls, 2);
    const { report } = mixed;
    assert.is(report.reference, 1);
    assert.equal(report.order, [1, 2, 3, 0]);
    assert.equal(report.frames.map((f) => [f.index, f.file, f.width, f.height, f.channels, f.bits]), [
      [0, undefined, 48, 32, 3, 8],
      [1, path, 48, 32, 3, 8],
      [2, undefined, 48, 32, 3, 8],
      [3, undefined, 48, 32, 3, 8],
    ]);
    for (const f of report.frames) {
      assert.equal(f.transform, { matrix: [[1, 0, 0], [0, 1, 0]], gain: [1, 1, 1], offset: [0, 0, 0], correlation: 1 });
      assert.is(f.correlation, 1);
      assert.ok(f.ms >= 0);
    }
    assert.is(mixed.transforms.length, 4);
    assert.is(report.passes, 2);
    assert.is(report.timings.passMs.length, 2);
    assert.ok(report.timings.totalMs >= report.timings.passMs[0]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('frames are read outward from the reference, and progress counts the readings', async () => {
  assert.equal(outwardOrder(2, 5), [2, 3, 4, 1, 0]);
  assert.equal(outwardOrder(0, 3), [0, 1, 2]);
  const frames = stripeStack(texture(30, 20, 6), 5);
  const seen: string[] = [];
  const { report } = await stackFrames(frames, { align: false,
    method: 'gradient',
    reference: 3,
    onProgress: (p) => seen.push(`${p.step}:${p.frame}:${p.done}/${p.total}`),
  });
  assert.equal(seen, ['read:3:0/5', 'read:4:1/5', 'read:2:2/5', 'read:1:3/5', 'read:0:4/5', 'finish:-1:5/5']);
  assert.is(report.reread, 0);
});

test('gray and colour, 8- and 16-bit frames are made the richer form, with warnings', async () => {
  const [a, b, c] = stripeStack(texture(40, 30, 7), 3);
  const gray = (f: Image): Image => ({ ...f, channels: 1, data: f.data.filter((_, i) => i % 3 === 0) });
  const warnings: string[] = [];
  // Colour frame after gray ones (reference first): the run starts again in colour.
  const { image } = await stackFrames([gray(a), gray(b), async () => c], { align: false, method: 'select', onWarning: (w) => warnings.push(w) });
  assert.is(image.channels, 3);
  assert.equal(warnings, [
    'frame 2 is colour while frames before it are gray: starting again with every frame made colour',
    'frame 1 is gray while others are colour: made colour',
    'frame 0 is gray while others are colour: made colour',
  ]);
  warnings.length = 0;
  const wide = { ...b, data: Uint16Array.from(b.data, (v) => v * 257) };
  const mixed = await stackFrames([a, wide, c], { align: false, method: 'select', onWarning: (w) => warnings.push(w) });
  assert.instance(mixed.image.data, Uint16Array);
  assert.equal(warnings, ['frames mix 8- and 16-bit samples: the result is 16-bit']);
});

test('bad arguments are refused with a message naming them', async () => {
  const f = texture(8, 6, 1);
  await rejects(() => stackFrames([f]), RangeError, 'Expected from 2 to 65535 frames for frames but received an array of length 1');
  await rejects(() => stackFrames('a.jpg' as never), TypeError, 'Expected an array of frames (paths, images or functions) for frames but received "a.jpg" (string)');
  await rejects(() => stackFrames([f, 42 as never]), TypeError, /^Expected an image .* for frames\[1\] but received 42 \(number\)$/);
  await rejects(() => stackFrames([f, f], { method: 'sharpest' as never }), TypeError, 'Expected one of pyramid, gradient, dmap, select, hybrid for method but received "sharpest" (string)');
  await rejects(() => stackFrames([f, f], { levels: 0 }), RangeError, 'Expected an integer from 1 to 16 for levels but received 0 (number)');
  await rejects(() => stackFrames([f, f], { reference: 2 }), RangeError, 'Expected an integer from 0 to 1 for reference but received 2 (number)');
  await rejects(() => stackFrames([f, f], { beta: -1 }), RangeError, 'Expected a number from 0 to 1000000 for beta but received -1 (number)');
  await rejects(() => stackFrames([f, f], { depthMap: 'yes' as never }), TypeError, 'Expected a boolean for depthMap but received "yes" (string)');
  await rejects(() => stackFrames([f, f], { colour: true } as never), TypeError, /^Unknown option "colour" for stackFrames; known options: method, .*, onWarning$/);
  await rejects(() => stackFrames([f, f], { crop: { x: 0, y: 0, width: 0, height: 1 } }), RangeError, 'Expected an integer of at least 1 for crop.width but received 0 (number)');
  await rejects(() => stackFrames([f, 'a.png']), TypeError, 'Expected a function (path) => Promise<Image> to read frames[1] ("a.png") for load but received undefined');
  await rejects(() => stackFrames([f, f], { transforms: [] }), TypeError, 'Expected an array of 2 transforms (one per frame) for transforms but received an array of length 0');
  const moved: Transform = { matrix: [[1, 0, 2], [0, 1, 0]], gain: [1], offset: [0], correlation: 0.9 };
  await rejects(() => stackFrames([f, f], { align: false, transforms: [moved, moved] }), RangeError, /^transforms\[0\] moves the frame/);
  const small = texture(4, 6, 1);
  const error = (await rejects(() => stackFrames([f, f, small]), FrameSizeError, 'Frames must have the same size: frame 2 is 4x6 but the reference frame 1 is 8x6')) as FrameSizeError;
  assert.equal([error.frame, error.size, error.reference, error.expected], [2, [4, 6], 1, [8, 6]]);
});

test('an abort between frames stops the run and gives back every buffer; the next run works', async () => {
  const pool = new CountingPool();
  const executor = new SerialExecutor(pool);
  const frames = stripeStack(texture(40, 30, 8), 4);
  for (const method of Object.values(StackMethod)) {
    const controller = new AbortController();
    let reads = 0;
    const reason = new Error('stop');
    await rejects(
      () => stackFrames(frames, { align: false, method, executor, signal: controller.signal, onProgress: () => ++reads === 3 && controller.abort(reason) }),
      Error,
      'stop',
    );
    assert.is(pool.out.size, 0, `${method}: arrays still out`);
    const { image } = await stackFrames(frames, { align: false, method, executor, depthMap: true });
    assert.is(pool.out.size, 0, `${method}: arrays out after a run`);
    // The result is the caller's: not pool memory.
    const probe = pool.float32(1);
    assert.is.not(image.data.buffer, probe.buffer);
    pool.release(probe);
  }
  // A failing frame function, too.
  await rejects(() => stackFrames([frames[0], frames[1], async () => Promise.reject(new Error('no frame'))], { align: false, executor }), Error, 'no frame');
  assert.is(pool.out.size, 0);
});

test('align is called for every reading with the neighbour towards the reference; crop and coverage apply', async () => {
  const frames = stripeStack(texture(40, 30, 9), 3);
  const calls: string[] = [];
  const align: AlignFunction = async (image, index, ctx) => {
    calls.push(`${index}:${ctx.pass}:${ctx.neighbour?.correlation ?? '-'}:${ctx.transform?.correlation ?? '-'}`);
    const coverage = new Uint8Array(image.width * image.height).fill(1);
    if (index === 0) coverage.fill(0); // frame 0 covers nothing: never chosen
    return { image, coverage, transform: { matrix: [[1, 0, 0], [0, 1, 0]], gain: [1], offset: [0], correlation: 0.5 + index / 10 } };
  };
  const { image, depth, transforms } = await stackFrames(frames, { method: 'select', align, depthMap: true, crop: { x: 2, y: 3, width: 30, height: 20 } });
  assert.equal(calls, ['1:0:-:-', '2:0:0.6:-', '0:0:0.6:-', '1:1:-:0.6', '2:1:0.6:0.7']);
  assert.equal(transforms.map((t) => t.correlation), [0.5, 0.6, 0.7]);
  assert.equal([image.width, image.height, depth!.width], [30, 20, 30]);
  assert.not.ok(depth!.data.includes(0));
});

test('given transforms: gain and offset are applied by the default alignment', async () => {
  const f = texture(20, 10, 3);
  const t = (gain: number, offset: number): Transform => ({ matrix: [[1, 0, 0], [0, 1, 0]], gain: [gain], offset: [offset], correlation: 1 });
  const { image, transforms } = await stackFrames([f, f], { method: 'select', transforms: [t(1, 10), t(1, 10)] });
  for (let i = 0; i < image.data.length; i += 7) assert.is(image.data[i], Math.min(255, f.data[i] + 10));
  assert.equal(transforms[0].offset, [10]);
});

test('a focus measure of plain loops runs through the engine', async () => {
  const sharp = texture(60, 30, 10);
  const frames = stripeStack(sharp, 3);
  let calls = 0;
  // Local variance over a 5x5 window of the first channel.
  const measure = floatMeasure((img) => {
    calls++;
    const { width: w, height: h, channels: cn, data } = img;
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let s = 0, s2 = 0, k = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy)), xx = Math.min(w - 1, Math.max(0, x + dx));
        const v = data[(yy * w + xx) * cn];
        s += v; s2 += v * v; k++;
      }
      out[y * w + x] = s2 / k - (s / k) ** 2;
    }
    return out;
  }, 'variance');
  const { image } = await stackFrames(frames, { align: false, method: 'select', measure });
  assert.is(calls, 3);
  assert.ok(psnr(image, sharp) >= MIN_PSNR, `PSNR ${psnr(image, sharp)}`);
  await rejects(() => stackFrames(frames, { method: 'select', measure: floatMeasure(() => new Float32Array(3)) }), TypeError, 'Expected a Float32Array of 1800 values (60x30) for measure result but received a Float32Array of length 3');
});

test.run();
