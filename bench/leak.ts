/**
 * Memory across repeated stackPair calls in one process: the resident set
 * and the ArrayBuffer bytes after the 2nd and after the last call (each
 * after gc; every call is followed by one), the peak RSS, and the mean
 * time of a call, for 1 and 2 threads.
 *
 *   node dist/bench/leak.js                      # 640x480 parity pair, 20 calls
 *   node dist/bench/leak.js 4032x3024 [calls]    # pcb_007/pcb_001 resized with sharp, 10 calls
 *
 * Each thread count runs in a child process of its own, started with --expose-gc.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Image } from '../lib/image.js';
import { memoryGrowth, type Growth } from '../test/helpers/leak.js';

const here = fileURLToPath(import.meta.url);
const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

async function pair(size: string): Promise<[Image, Image]> {
  const api = await import('../lib/index.js');
  if (size === '640x480') return [await api.loadImage(fixture('parity/pcb-640x480/input/back.png')), await api.loadImage(fixture('parity/pcb-640x480/input/front.png'))];
  const [width, height] = size.split('x').map(Number);
  if (!(width >= 1 && height >= 1)) throw new Error(`expected WIDTHxHEIGHT but received "${size}"`);
  const sharp = (await import('sharp')).default;
  const load = async (file: string): Promise<Image> => {
    const { data } = await sharp(fixture(`pcb/${file}`)).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width, height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  };
  return [await load('pcb_007.jpg'), await load('pcb_001.jpg')];
}

async function child(size: string, threads: number, calls: number): Promise<void> {
  const api = await import('../lib/index.js');
  const [back, front] = await pair(size);
  const growth = await memoryGrowth(() => api.stackPair(back, front, { threads }), calls);
  await api.closeExecutors();
  process.stdout.write(`${JSON.stringify(growth)}\n`);
}

function parent(size: string, calls: number): void {
  const mb = (v: number) => (v / 2 ** 20).toFixed(0).padStart(6);
  console.log(`stackPair ${size}, ${calls} calls in one process, node ${process.version}`);
  console.log('threads  ms/call  rss@2  rss@K  growth  peak rss  arrayBuffers@2  arrayBuffers@K   (MiB)');
  for (const threads of [1, 2]) {
    const out = execFileSync(process.execPath, ['--expose-gc', here, '--child', size, String(threads), String(calls)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const g = JSON.parse(out.trim().split('\n').pop()!) as Growth;
    console.log(`${String(threads).padStart(7)} ${g.msPerCall.toFixed(0).padStart(8)} ${mb(g.after2.rss)} ${mb(g.afterK.rss)} ${mb(g.afterK.rss - g.after2.rss)} ${mb(g.peakRss).padStart(9)} ${mb(g.after2.arrayBuffers).padStart(15)} ${mb(g.afterK.arrayBuffers).padStart(15)}`);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1], Number(args[2]), Number(args[3]));
else {
  const size = args[0] ?? '640x480';
  parent(size, Number(args[1] ?? (size === '640x480' ? 20 : 10)));
}
