// The result of a stack carries the reference frame's metadata (ICC profile,
// EXIF), and 16-bit frames give a 16-bit result, from images and from files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSharpCodec } from '../../lib/codecs/sharp.js';
import { stack } from '../../lib/engine/node.js';
import { stackFrames } from '../../lib/engine/stack.js';
import type { Image, ImageMetadata } from '../../lib/image.js';
import { loadImage, saveImage } from '../../lib/io.js';
import { pngFile } from '../helpers/files.js';
import { stripeStack, texture } from './synthetic.js';

const hasSharp = (await loadSharpCodec()) !== undefined;

/** EXIF (TIFF structure, little-endian): IFD0 with one entry, Orientation 1, and a marker byte in the padding. */
const exif = (mark: number) => Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, mark]);
const meta = (mark: number): ImageMetadata => ({ icc: Uint8Array.from({ length: 200 }, (_, i) => (i * mark) % 256), exif: exif(mark) });

test('the result carries the reference frame metadata, whichever frame that is', async () => {
  const frames = stripeStack(texture(48, 32, 5), 3);
  const withMeta = frames.map((f, i): Image => ({ ...f, metadata: meta(i + 3) }));
  for (const reference of [0, 1, 2]) {
    const { image } = await stackFrames(withMeta, { method: 'select', reference });
    assert.equal(image.metadata, meta(reference + 3), `reference ${reference}`);
  }
  // The default reference is the middle frame; a reference without metadata gives a result without.
  assert.equal((await stackFrames(withMeta, { method: 'gradient' })).image.metadata, meta(4));
  const noneOnReference = withMeta.map((f, i) => (i === 1 ? frames[1] : f));
  assert.not.ok('metadata' in (await stackFrames(noneOnReference, { method: 'select' })).image);
  // Frames given as functions: the same.
  assert.equal((await stackFrames(withMeta.map((f) => async () => f), { method: 'select' })).image.metadata, meta(4));
});

test('16-bit frames give a 16-bit result, with the reference metadata', async () => {
  const frames = stripeStack(texture(48, 32, 6), 3).map((f, i): Image => ({ ...f, data: Uint16Array.from(f.data, (v) => v * 257), metadata: meta(i + 10) }));
  for (const method of ['pyramid', 'gradient', 'select'] as const) {
    const { image, report } = await stackFrames(frames, { method });
    assert.instance(image.data, Uint16Array, method);
    assert.is(report.result.bits, 16);
    assert.equal(image.metadata, meta(11));
  }
});

test('from files: 16-bit PNG frames give a 16-bit result (sharp); JPEG frames pass their ICC and EXIF on', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'focus-stacking-meta-'));
  try {
    const frames = stripeStack(texture(48, 32, 7), 3);
    if (hasSharp) {
      const deep = await Promise.all(
        frames.map(async (f, i) => {
          const path = join(dir, `deep${i}.png`);
          await writeFile(path, pngFile({ ...f, data: Uint16Array.from(f.data, (v) => v * 257) }, 16));
          return path;
        }),
      );
      const { image } = await stack(deep, { method: 'select' });
      assert.instance(image.data, Uint16Array);
    }
    const jpegs = await Promise.all(
      frames.map(async (f, i) => {
        const path = join(dir, `f${i}.jpg`);
        await saveImage({ ...f, metadata: meta(i + 20) }, path, { quality: 100 });
        return path;
      }),
    );
    const { image } = await stack(jpegs, { method: 'select' });
    assert.equal(image.metadata, meta(21));
    // JPEG: libpng (sharp) would drop this made-up profile from a PNG on reading.
    const out = join(dir, 'out.jpg');
    await saveImage(image, out);
    assert.equal((await loadImage(out)).metadata, meta(21));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
