// Unknown option keys outside lib/cv (which test/cv/options.test.ts covers):
// the shared helper, the strategies and the file functions refuse them by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertKnownKeys, optionKeys } from '../lib/errors.js';
import { encodeImage, loadImage, saveImage } from '../lib/io.js';
import { gradientStrategy } from '../lib/strategies/gradient.js';
import { laplacianStrategy } from '../lib/strategies/laplacian.js';
import { medianStrategy } from '../lib/strategies/median.js';

function throwsMessage(run: () => unknown, message: string): void {
  try {
    run();
  } catch (error) {
    assert.instance(error, TypeError);
    assert.is((error as Error).message, message);
    return;
  }
  assert.unreachable(`expected TypeError: ${message}`);
}

async function rejectsMessage(run: () => Promise<unknown>, message: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, TypeError);
    assert.is((error as Error).message, message);
    return;
  }
  assert.unreachable(`expected TypeError: ${message}`);
}

test('assertKnownKeys: known keys and undefined pass; an unknown key, a non-object and a class instance do not', () => {
  const known = optionKeys<{ a?: number; b: string }>({ a: 1, b: 1 });
  assert.equal(known, ['a', 'b']);
  assertKnownKeys('f', undefined, known);
  assertKnownKeys('f', {}, known);
  assertKnownKeys('f', { a: 1, b: undefined }, known);
  assertKnownKeys('f', Object.assign(Object.create(null), { a: 1 }), known);
  throwsMessage(() => assertKnownKeys('f', { a: 1, c: 2 }, known), 'Unknown option "c" for f; known options: a, b');
  throwsMessage(() => assertKnownKeys('f', null, known), 'Expected an options object ({ a, b }) for f but received null');
  throwsMessage(() => assertKnownKeys('f', 'a', known), 'Expected an options object ({ a, b }) for f but received "a" (string)');
  throwsMessage(() => assertKnownKeys('f', new Date(0), known), 'Expected an options object ({ a, b }) for f but received a Date');
});

test('strategies refuse unknown options (the shared knobs are known to all, as stackPair passes them)', () => {
  throwsMessage(() => gradientStrategy({ betta: 1 } as never), 'Unknown option "betta" for gradientStrategy; known options: beta, smoothKernel, medianSizes');
  throwsMessage(() => medianStrategy({ sizes: [3] } as never), 'Unknown option "sizes" for medianStrategy; known options: beta, smoothKernel, medianSizes');
  throwsMessage(() => laplacianStrategy({ sigmaX: 2 } as never), 'Unknown option "sigmaX" for laplacianStrategy; known options: beta, smoothKernel, medianSizes, sigma');
  gradientStrategy({ beta: 0.2, smoothKernel: 5, medianSizes: [3] } as never);
  laplacianStrategy({ sigma: 2 });
});

test('loadImage, saveImage and encodeImage refuse unknown options before touching a file', async () => {
  const image = { width: 1, height: 1, channels: 1 as const, data: new Uint8Array(1) };
  await rejectsMessage(() => loadImage('/nonexistent/x.png', { codecs: 'jimp' } as never), 'Unknown option "codecs" for loadImage; known options: codec, maxPixels, onWarning');
  await rejectsMessage(() => saveImage(image, '/nonexistent/x.jpg', { qualty: 90 } as never), 'Unknown option "qualty" for saveImage; known options: format, codec, quality');
  await rejectsMessage(() => encodeImage(image, { format: 'png', level: 9 } as never), 'Unknown option "level" for encodeImage; known options: format, codec, quality');
});

test.run();
