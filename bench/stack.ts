/**
 * Benchmark of the seed's own case: a 4032x3024 JPEG pair, five JPEG outputs,
 * through the command line's own code, in one process per codec, split into
 * start-up, decode, compute and encode, with the peak resident memory of the process.
 *
 *   npm run bench                      # 4032x3024, every codec that loads
 *   node dist/bench/stack.js --size 640x480 --codec jimp
 *
 * The pair is made from the two pcb frames in fixtures/ (a real macro focus
 * stack, two focus planes), resized to the size asked for and written as
 * JPEG (quality 95) to a scratch directory, which is removed afterwards.
 * Each codec runs in a child process of its own, so that its peak RSS is its
 * own. The last column compares with the Python original on the same
 * machine (figures given in the issue: 8 s, 5.2 GB peak).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const PYTHON_SECONDS = 8;
const PYTHON_PEAK_GB = 5.2;
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/pcb/${name}`, import.meta.url));

interface Figures {
  codec: string;
  startup: number;
  decode: number;
  compute: number;
  encode: number;
  total: number;
  peakMB: number;
  heapMB: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/**
 * One measured run, in this process: the command line itself, `main()`, as
 * `focus-stacking --back --front --output --codec`, timed from its progress
 * lines. Outputs are encoded while the others are computed, so "encode" is
 * what is left of encoding and writing once computing is over.
 */
async function child(codec: string, dir: string): Promise<void> {
  const t0 = performance.now();
  const api = await import('../lib/index.js');
  await api.getCodec(codec as 'sharp' | 'jimp');
  const t1 = performance.now();
  const lines: { at: number; text: string }[] = [];
  const stderr = { write: (text: string) => void text.split('\n').filter(Boolean).forEach((line) => lines.push({ at: performance.now(), text: line })) };
  const code = await api.main(['--back', join(dir, 'back.jpg'), '--front', join(dir, 'front.jpg'), '--output', join(dir, `out-${codec}`), '--codec', codec], { stderr });
  const t4 = performance.now();
  const at = (prefix: string) => lines.find((l) => l.text.startsWith(prefix))?.at;
  const t2 = at('reading') ?? t1;
  const t3 = at('finishing') ?? t4;
  if (code !== 0) throw new Error(`focus-stacking failed: ${lines.map((l) => l.text).join('; ')}`);
  const figures: Figures = {
    codec,
    startup: (t1 - t0) / 1000,
    decode: (t2 - t1) / 1000,
    compute: (t3 - t2) / 1000,
    encode: (t4 - t3) / 1000,
    total: (t4 - t0) / 1000,
    peakMB: process.resourceUsage().maxRSS / 1024, // maxRSS is in KiB: this is MiB
    heapMB: api.isOpenCVLoaded() ? api.heapSize() / 2 ** 20 : 0,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Make the JPEG pair at the size asked for, with whichever codec loads. */
async function makePair(dir: string, width: number, height: number): Promise<void> {
  const api = await import('../lib/index.js');
  for (const [file, name] of [['pcb_007.jpg', 'back.jpg'], ['pcb_001.jpg', 'front.jpg']]) {
    const frame = await api.loadImage(fixture(file));
    await api.loadOpenCV();
    using scope = new api.MatScope();
    const resized = api.imageFromMat(scope.track(api.resize(scope.track(api.matFromImage(frame)), { dsize: [width, height], interpolation: api.cv().INTER_CUBIC })));
    await api.saveImage(resized, join(dir, name), { quality: 95 });
  }
}

async function parent(): Promise<void> {
  const [width, height] = arg('size', '4032x3024').split('x').map(Number);
  if (!(width >= 1 && height >= 1)) throw new Error(`--size: expected WIDTHxHEIGHT but received "${arg('size', '')}"`);
  const api = await import('../lib/index.js');
  const available = (await api.loadSharpCodec()) ? ['sharp', 'jimp'] : ['jimp'];
  const codecs = arg('codec', 'all') === 'all' ? available : [arg('codec', 'all')];
  const dir = mkdtempSync(join(tmpdir(), 'focus-stacking-bench-'));
  try {
    await makePair(dir, width, height);
    const rows: Figures[] = codecs.map((codec) => {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', codec, '--dir', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      return JSON.parse(out.trim().split('\n').pop()!) as Figures;
    });
    const s = (v: number) => v.toFixed(2).padStart(7);
    console.log(`focus-stacking bench: ${width}x${height} JPEG pair, five JPEG outputs, node ${process.version}`);
    console.log('codec   startup  decode compute  encode   total   peak RSS             wasm heap  vs Python (time, RSS)');
    for (const r of rows) {
      const gb = (r.peakMB * 2 ** 20) / 1e9;
      const ratio = `${(r.total / PYTHON_SECONDS).toFixed(2)}x, ${(gb / PYTHON_PEAK_GB).toFixed(2)}x`;
      const heap = r.heapMB ? `${r.heapMB.toFixed(0).padStart(5)} MiB` : '   unused';
      console.log(`${r.codec.padEnd(6)} ${s(r.startup)} ${s(r.decode)} ${s(r.compute)} ${s(r.encode)} ${s(r.total)}  ${r.peakMB.toFixed(0).padStart(6)} MiB (${gb.toFixed(2)} GB)  ${heap}  ${ratio}`);
    }
    console.log('(seconds; encode: what is left of encoding and writing after computing, which it overlaps; peak RSS from getrusage of the child process)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) await child(arg('child', 'sharp'), arg('dir', '.'));
else await parent();
