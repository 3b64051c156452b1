// stackPair: argument checking, odd shapes, grayscale, resizing, and Mat hygiene.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heapSize, liveMatCount, loadOpenCV } from '../lib/cv/index.js';
import type { Image } from '../lib/image.js';
import { Mode, runJobs } from '../lib/pipeline.js';
import { ALL_OUTPUTS, Output, outputName, stackPair, type StackOptions } from '../lib/stack.js';
import { laplacianStrategy } from '../lib/strategies/laplacian.js';
import { rng } from './helpers/random.js';

function noise(width: number, height: number, channels: 1 | 3, seed: number): Image {
  const next = rng(seed);
  return { width, height, channels, data: Uint8Array.from({ length: width * height * channels }, () => Math.floor(next() * 256)) };
}

async function rejects(run: () => Promise<unknown>, type: new (...a: never[]) => Error, message: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, type);
    assert.is((error as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${type.name}: ${message}`);
}

test.before(async () => {
  await loadOpenCV();
});

test('bad options are refused with a message naming the option', async () => {
  const a = noise(4, 4, 3, 1);
  await rejects(() => stackPair(a, a, { levels: 0 }), RangeError, 'Expected an integer from 1 to 16 for levels but received 0 (number)');
  await rejects(() => stackPair(a, a, { beta: Number.NaN }), TypeError, 'Expected a number from 0 to 1000000 for beta but received NaN (number)');
  await rejects(() => stackPair(a, a, { medianSizes: [35, 18] }), RangeError, 'Expected an odd integer from 1 to 255 for medianSizes[1] but received 18 (number)');
  await rejects(() => stackPair(a, a, { medianSizes: [-3] }), RangeError, 'Expected an odd integer from 1 to 255 for medianSizes[0] but received -3 (number)');
  await rejects(() => stackPair(a, a, { smoothKernel: 4 }), RangeError, 'Expected an odd integer from 1 to 99 for smoothKernel but received 4 (number)');
  await rejects(() => stackPair(a, a, { outputs: ['sharpest' as Output] }), TypeError, 'Expected values among all_channels, by_channel, new_method, blending_mask, direct for outputs but received "sharpest" (string)');
  await rejects(() => stackPair(a, noise(4, 4, 1, 2), { mixed: 'refuse' }), TypeError, 'Expected front to have 3 channel(s) like back but it has 1');
  await rejects(() => stackPair(a, { ...a, data: Uint16Array.from(a.data) }, { mixed: 'refuse' }), TypeError, 'Expected front to be 8-bit like back but it is 16-bit');
  await rejects(() => stackPair(a, a, { mixed: 'cast' as 'refuse' }), TypeError, 'Expected one of convert, refuse for mixed but received "cast" (string)');
  await rejects(
    () => stackPair(a, a, { level: 3 } as StackOptions),
    TypeError,
    'Unknown option "level" for stackPair; known options: levels, outputs, beta, smoothKernel, medianSizes, threads, mixed, signal, onProgress, onWarning, onOutput',
  );
  await rejects(() => stackPair({ ...a, data: new Uint8Array(5) }, a), TypeError, 'Expected 48 samples (4x4x3) for back.data but received a Uint8Array of length 5');
});

test('a 1x1 image and very unequal aspect ratios work, colour and gray', async () => {
  for (const [w, h] of [[1, 1], [1, 200], [300, 2], [3, 1]]) {
    for (const channels of [1, 3] as const) {
      const result = await stackPair(noise(w, h, channels, w + h), noise(w, h, channels, w * h + 7));
      for (const output of ALL_OUTPUTS) {
        const image = result[outputName(output)]!;
        assert.equal([image.width, image.height, image.channels], [w, h, output === Output.BLENDING_MASK ? 1 : channels], `${w}x${h} ${output}`);
      }
    }
  }
});

test('identical frames give back the frame, whatever the method', async () => {
  const frame = noise(33, 17, 3, 9);
  const result = await stackPair(frame, frame);
  for (const output of [Output.ALL_CHANNELS, Output.BY_CHANNEL, Output.NEW_METHOD, Output.DIRECT]) {
    const data = result[outputName(output)]!.data;
    let max = 0;
    for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(data[i] - frame.data[i]));
    assert.ok(max <= 1, `${output}: off by ${max}`);
  }
});

test('with one level the pyramid is the image itself: all_channels equals direct', async () => {
  const result = await stackPair(noise(45, 31, 3, 21), noise(45, 31, 3, 22), { levels: 1, outputs: [Output.ALL_CHANNELS, Output.DIRECT] });
  assert.equal(Array.from(result.focus_stacked_all_channels!.data), Array.from(result.focus_stacked_direct!.data));
});

test('outputs picks a subset, and a different-size front is resized with a warning', async () => {
  const warnings: string[] = [];
  const steps: string[] = [];
  const result = await stackPair(noise(40, 30, 3, 1), noise(20, 15, 3, 2), {
    outputs: [Output.DIRECT, Output.BLENDING_MASK],
    onWarning: (m) => warnings.push(m),
    onProgress: (s) => steps.push(s),
  });
  assert.equal(Object.keys(result).sort(), ['blending_mask', 'focus_stacked_direct']);
  assert.equal(warnings, ['front image resized from 20x15 to 40x30 to match the back image']);
  assert.ok(steps.includes('fusing pyramid level 0 (40x30)'), steps.join('; '));
});

test('an aspect ratio that differs beyond rounding is said to be stretched, with both sizes', async () => {
  const cases: [Image, Image, string][] = [
    [noise(32, 32, 3, 1), noise(64, 48, 3, 2), 'front image stretched from 64x48 to 32x32 to match the back image (the aspect ratios differ)'],
    [noise(17, 13, 3, 1), noise(33, 25, 3, 2), 'front image resized from 33x25 to 17x13 to match the back image'], // halved, rounded up
    [noise(3, 1, 1, 1), noise(2, 2, 1, 2), 'front image stretched from 2x2 to 3x1 to match the back image (the aspect ratios differ)'],
  ];
  for (const [back, front, message] of cases) {
    const warnings: string[] = [];
    await stackPair(back, front, { outputs: [Output.DIRECT], onWarning: (m) => warnings.push(m) });
    assert.equal(warnings, [message]);
  }
});

/** The pixels of `image` as RGB (gray replicated) and 16-bit (8-bit samples times 257), written out plainly. */
function explicitly(image: Image, to: { rgb?: boolean; sixteen?: boolean }): Image {
  const channels = to.rgb ? 3 : image.channels;
  const n = image.width * image.height * channels;
  const data = to.sixteen || image.data instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
  for (let p = 0; p < image.width * image.height; p++) {
    for (let c = 0; c < channels; c++) {
      const v = image.data[p * image.channels + (image.channels === 1 ? 0 : c)];
      data[p * channels + c] = to.sixteen && image.data instanceof Uint8Array ? v * 257 : v;
    }
  }
  return { width: image.width, height: image.height, channels, data };
}

function sixteenBit(width: number, height: number, channels: 1 | 3, seed: number): Image {
  const next = rng(seed);
  return { width, height, channels, data: Uint16Array.from({ length: width * height * channels }, () => Math.floor(next() * 65536)) };
}

test('mixed pairs (gray + colour, 8 + 16 bits) give the outputs of the explicitly converted pair, with a warning', async () => {
  const cases: { back: Image; front: Image; back2: Image; front2: Image; warnings: string[] }[] = [];
  const gray = noise(24, 18, 1, 31);
  const colour = noise(24, 18, 3, 32);
  cases.push({ back: gray, front: colour, back2: explicitly(gray, { rgb: true }), front2: colour, warnings: ['back image converted from 8-bit gray to 8-bit RGB to match the front image'] });
  cases.push({ back: colour, front: gray, back2: colour, front2: explicitly(gray, { rgb: true }), warnings: ['front image converted from 8-bit gray to 8-bit RGB to match the back image'] });
  const deep = sixteenBit(24, 18, 3, 33);
  cases.push({ back: colour, front: deep, back2: explicitly(colour, { sixteen: true }), front2: deep, warnings: ['back image converted from 8-bit RGB to 16-bit RGB to match the front image'] });
  const deepGray = sixteenBit(24, 18, 1, 34);
  cases.push({
    back: deepGray,
    front: colour,
    back2: explicitly(deepGray, { rgb: true }),
    front2: explicitly(colour, { sixteen: true }),
    warnings: ['back image converted from 16-bit gray to 16-bit RGB to match the front image', 'front image converted from 8-bit RGB to 16-bit RGB to match the back image'],
  });
  for (const { back, front, back2, front2, warnings } of cases) {
    const said: string[] = [];
    const mixed = await stackPair(back, front, { onWarning: (m) => said.push(m) });
    const plain = await stackPair(back2, front2, { onWarning: (m) => assert.unreachable(m) });
    assert.equal(said, warnings);
    for (const output of ALL_OUTPUTS) {
      const [a, b] = [mixed[outputName(output)]!, plain[outputName(output)]!];
      assert.equal([a.width, a.height, a.channels, a.data.constructor], [b.width, b.height, b.channels, b.data.constructor], `${warnings[0]}: ${output}`);
      assert.ok(a.data.every((v, i) => v === b.data[i]), `${warnings[0]}: ${output} differs`);
    }
    assert.is(mixed.focus_stacked_all_channels!.channels, 3);
  }
  // The inputs are left alone.
  assert.is(gray.channels, 1);
  assert.instance(colour.data, Uint8Array);
});

test('back and front may be swapped: the gradient outputs agree within one level, the mask is inverted', async () => {
  const a = noise(64, 48, 3, 41);
  const b = noise(64, 48, 3, 42);
  const ab = await stackPair(a, b);
  const ba = await stackPair(b, a);
  for (const output of [Output.ALL_CHANNELS, Output.BY_CHANNEL, Output.DIRECT]) {
    const [x, y] = [ab[outputName(output)]!.data, ba[outputName(output)]!.data];
    assert.ok(x.every((v, i) => Math.abs(v - y[i]) <= 1), output);
  }
  const [m, n] = [ab.blending_mask!.data, ba.blending_mask!.data];
  const inverted = m.filter((v, i) => v === 255 - n[i]).length / m.length;
  assert.ok(inverted > 0.99, `blending_mask inverted at ${inverted}`);
});

test('16-bit frames give 16-bit outputs on the same scale', async () => {
  const next = rng(3);
  const make = () => ({ width: 8, height: 6, channels: 3 as const, data: Uint16Array.from({ length: 144 }, () => Math.floor(next() * 65536)) });
  const result = await stackPair(make(), make());
  const out = result.focus_stacked_all_channels!;
  assert.instance(out.data, Uint16Array);
  assert.ok(Math.max(...out.data) > 255, 'values above 8 bits');
  assert.equal(Array.from(new Set(result.blending_mask!.data)).every((v) => v === 0 || v === 65535), true);
});

test('repeated runs leave no Mat alive and do not grow the WebAssembly heap', async () => {
  const back = noise(64, 48, 3, 11);
  const front = noise(50, 40, 3, 12); // resized: goes through OpenCV.js
  const laplacian = laplacianStrategy();
  const run = async () => {
    await stackPair(back, front);
    const f = { width: 64, height: 48, channels: 3, data: Float32Array.from(back.data) };
    runJobs(f, { ...f, data: f.data.slice() }, [{ strategy: laplacian, mode: Mode.PYRAMID }], { levels: 3, onResult: () => {} });
  };
  const before = liveMatCount();
  await run();
  const heap = heapSize();
  for (let i = 0; i < 10; i++) await run();
  assert.is(liveMatCount(), before);
  assert.is(heapSize(), heap);
});

test.run();
