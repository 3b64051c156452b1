/**
 * Time and peak memory of loadImage on each hostile file that fuzzing v1.0's
 * decoders found (built by test/helpers/hostile.ts), per codec, each in a child
 * process of its own so that its peak RSS is its own.
 *
 *   npm run build && node dist/bench/hostile.js                 # the default limit, 100 MP
 *   node dist/bench/hostile.js --max-pixels 1000000000 --timeout 30
 *
 * Above the default limit each file should be refused in milliseconds, with a few
 * tens of MB (the process itself). A child still running after --timeout seconds
 * (default 30) is killed and reported as such.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharpCodec } from '../lib/codecs/index.js';
import { bmpRle8Declaring, jpegDeclaring, pngDeclaring, pngGrayZeros, pngSecondIhdr, tiffStripCount } from '../test/helpers/hostile.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const maxPixels = Number(arg('max-pixels', '100000000'));
const timeout = Number(arg('timeout', '30'));
const io = new URL('../lib/io.js', import.meta.url).href;
const codecs = new URL('../lib/codecs/index.js', import.meta.url).href;
/** The child: load the codec (not timed), then the file; print what happened, the time and the peak RSS as JSON. */
const child = `
const { loadImage } = await import(${JSON.stringify(io)});
const [path, codec, maxPixels] = process.argv.slice(1);
await (await import(${JSON.stringify(codecs)})).getCodec(codec);
const started = performance.now();
let result;
try {
  const image = await loadImage(path, { codec, maxPixels: Number(maxPixels) });
  result = 'decoded ' + image.width + 'x' + image.height;
} catch (error) {
  result = error.code + ': ' + error.message.replace(/^Cannot read image "[^"]*": /, '');
}
console.log(JSON.stringify({ ms: performance.now() - started, peakMB: process.resourceUsage().maxRSS / 1024, result }));
`;

const dir = mkdtempSync(join(tmpdir(), 'focus-stacking-hostile-'));
try {
  const files: Array<[string, Uint8Array]> = [
    ['sof-16000.jpg', await jpegDeclaring(16000, 16000)],
    ['ihdr-16384.png', pngDeclaring(16384, 16384)],
    ['rle8-20000.bmp', bmpRle8Declaring(20000, 20000)],
    ['strip-count.tif', tiffStripCount(0x7fffffff)],
    ['gray-12000.png', await pngGrayZeros(12000)],
    ['two-ihdr.png', pngSecondIhdr(5000, 5000)],
  ];
  const codecs = (await loadSharpCodec()) ? ['sharp', 'jimp'] : ['jimp'];
  console.log(`loadImage on hostile files, maxPixels ${maxPixels}, Node ${process.version}`);
  console.log(['file', 'bytes', 'codec', 'ms', 'peak MB', 'result'].join('\t'));
  for (const [name, bytes] of files) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    for (const codec of codecs) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', child, path, codec, String(maxPixels)], { encoding: 'utf8', timeout: timeout * 1000 });
      let row: string[];
      if (run.status === 0) {
        const { ms, peakMB, result } = JSON.parse(run.stdout) as { ms: number; peakMB: number; result: string };
        row = [ms.toFixed(0), peakMB.toFixed(0), result];
      } else {
        const why = run.signal === 'SIGTERM' ? `killed after ${timeout} s` : `exit ${run.status} ${run.signal ?? ''}: ${run.stderr.split('\n')[0]}`;
        row = ['-', '-', why];
      }
      console.log([name, bytes.length, codec, ...row].join('\t'));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
