/**
 * Render ground-truth focus stacks (bench/groundtruth/), to measure fusion
 * methods against a known truth with `focus-stacking evaluate`.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/render.js                # .bench/groundtruth/
 *   node dist/bench/render.js --quick                                      # 512x384
 *   node dist/bench/render.js --out /tmp/gt --size 512x384 --frames 6 --scenes occlusion
 *   node dist/bench/render.js --photo p.jpg --depth-map d.png --scenes custom
 *
 * For each scene it writes, to OUT/<scene>/: frame_00.png .. frame_<N-1>.png
 * (frame i focused at depth i), truth.png (all in focus), depth.png (the true
 * depth: frame i as round(255 i / (N - 1))), band.png (255 within --band px
 * of the depth discontinuities, where fusion leaves halos; when there are
 * any), oracle.png (each pixel from the frame of its true depth) and
 * scene.json (the parameters, the kind and the oracle's figures). Scenes
 * are "smooth" (slope, hills: a continuous surface with a depth of field of
 * one frame), "stepped" (terraces, blobs, steps-gather: the gather model on
 * whole-frame depths; in both the oracle is exact) or "occlusion" (ramp,
 * steps, occlusion, custom: the scatter model). It prints, for each
 * scene, the figures of the oracle (the best any per-pixel selection can do)
 * and of the best single frame against the truth, over the image less a
 * --border, and within the band.
 *
 * Flags: --out DIR (.bench/groundtruth), --size WxH or full or quick (1024x768;
 * quick is 512x384, as is --quick), --frames N (8),
 * --blur SIGMA a frame of defocus in px (1.5), --slices a frame (4),
 * --scenes list (terraces,blobs,steps-gather,ramp,steps,occlusion; custom
 * needs --depth-map), --photo (fixtures/pcb/pcb_004.jpg), --photo2 the blobs' texture, turned half a turn
 * (fixtures/pcb/pcb_007.jpg),
 * --object photo of the near objects (fixtures/pcb/pcb_001.jpg, turned half a turn),
 * --depth-map (for custom), --band PX (24), --border PX (16), --codec.
 * Deterministic: the same flags give the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { psnr, saveImage, shareOff, ssim, type CodecName, type Image } from '../lib/index.js';
import { eachScene, GROUNDTRUTH_DEFAULTS, oracle, SIZES, type GroundTruth, type SceneName } from './groundtruth/index.js';

function flag(name: string, fallback: string): string;
function flag(name: string): string | undefined;
function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name}: missing value`);
  return value;
}

function numberFlag(name: string, fallback: number, integer: boolean, min: number): number {
  const raw = flag(name, String(fallback));
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) throw new Error(`--${name}: expected ${integer ? 'an integer' : 'a number'} of at least ${min} but received "${raw}"`);
  return value;
}

/** The figures of an image against the truth. */
interface Figures {
  psnr: number;
  ssim: number;
  shareOff: number;
  bandPsnr: number | null;
}

function measure(image: Image, truth: Image, border: number, band: Uint8Array | undefined): Figures {
  return {
    psnr: psnr(image, truth, { border }),
    ssim: ssim(image, truth, { border }),
    shareOff: shareOff(image, truth, { border }),
    bandPsnr: band ? psnr(image, truth, { border, mask: band }) : null,
  };
}

async function writeStack(dir: string, scene: GroundTruth, best: Image, codec: CodecName | undefined): Promise<void> {
  await mkdir(dir, { recursive: true });
  const digits = Math.max(2, String(scene.frames.length - 1).length);
  const save = (image: Image, name: string) => saveImage(image, join(dir, name), { codec });
  await Promise.all(scene.frames.map((frame, i) => save(frame, `frame_${String(i).padStart(digits, '0')}.png`)));
  await save(scene.truth, 'truth.png');
  await save(scene.depth, 'depth.png');
  await save(best, 'oracle.png');
  if (scene.band) await save({ ...scene.depth, data: scene.band.map((v) => v * 255) }, 'band.png');
}

const fmt = (v: number | null, digits = 2) => (v === null ? '-' : v === Infinity ? 'inf' : v.toFixed(digits));
const kindText = (kind: string) => kind.replace('-', ' ');

async function run(): Promise<void> {
  const d = GROUNDTRUTH_DEFAULTS;
  const out = resolve(flag('out', '.bench/groundtruth'));
  const sizeText = process.argv.includes('--quick') ? 'quick' : flag('size', 'full');
  const [width, height] = sizeText === 'full' || sizeText === 'quick' ? [SIZES[sizeText].width, SIZES[sizeText].height] : sizeText.split('x').map(Number);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) throw new Error(`--size: expected WxH, each at least 16, full or quick, but received "${sizeText}"`);
  const frames = numberFlag('frames', d.frames, true, 2);
  const blurPerFrame = numberFlag('blur', d.blurPerFrame, false, 0);
  const slicesPerFrame = numberFlag('slices', d.slicesPerFrame, true, 1);
  const radius = numberFlag('band', d.band, false, 0);
  const border = numberFlag('border', d.border, true, 0);
  const codec = flag('codec') as CodecName | undefined;
  const depthMap = flag('depth-map');
  const scenes = flag('scenes', depthMap ? 'custom' : d.scenes.join(',')).split(',') as SceneName[];

  process.stdout.write(`${width}x${height}, N = ${frames}, blur ${blurPerFrame} px/frame, ${slicesPerFrame} slices/frame (scatter); figures over the image less ${border} px, band = within ${radius} px of depth jumps of more than 1 frame\n\n`);
  const header = ['scene', 'kind', 'render s', 'oracle PSNR', 'SSIM', 'off>2', 'band PSNR', 'band %', 'best frame', 'its PSNR', 'band PSNR'];
  const rows: string[][] = [];
  const options = { width, height, frames, scenes, blurPerFrame, slicesPerFrame, band: radius, border, codec, depthMap, photo: flag('photo'), secondPhoto: flag('photo2'), object: flag('object') };
  let t0 = performance.now();
  for await (const scene of eachScene(options)) {
    const seconds = (performance.now() - t0) / 1000;
    const { band } = scene;
    const best = oracle(scene);
    const figures = measure(best, scene.truth, border, band);
    const single = scene.frames.map((frame) => measure(frame, scene.truth, border, band));
    const bestFrame = single.reduce((b, f, i) => (f.psnr > single[b].psnr ? i : b), 0);
    const dir = join(out, scene.name);
    await writeStack(dir, scene, best, codec);
    const json = {
      scene: scene.name,
      kind: scene.kind,
      description: scene.description,
      photo: scene.photo,
      width: scene.truth.width,
      height: scene.truth.height,
      frames,
      blurPerFrame,
      slicesPerFrame: scene.kind === 'occlusion' ? slicesPerFrame : null,
      border,
      band: { radius, coverage: scene.bandShare },
      oracle: { ...figures, psnr: fmtJson(figures.psnr), bandPsnr: figures.bandPsnr === null ? null : fmtJson(figures.bandPsnr) },
      frameFigures: single.map((f) => ({ ...f, psnr: fmtJson(f.psnr), bandPsnr: f.bandPsnr === null ? null : fmtJson(f.bandPsnr) })),
    };
    await writeFile(join(dir, 'scene.json'), `${JSON.stringify(json, null, 2)}\n`);
    rows.push([scene.name, kindText(scene.kind), seconds.toFixed(1), fmt(figures.psnr), fmt(figures.ssim, 4), `${(figures.shareOff * 100).toFixed(4)} %`, fmt(figures.bandPsnr), `${(scene.bandShare * 100).toFixed(1)}`, String(bestFrame), fmt(single[bestFrame].psnr), fmt(single[bestFrame].bandPsnr)]);
    process.stdout.write(`${scene.name} (${kindText(scene.kind)}): ${scene.description} [${scene.photo}] -> ${dir}\n`);
    t0 = performance.now();
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`\n${line(header)}\n${rows.map(line).join('\n')}\n`);
}

/** JSON has no Infinity: null stands for it. */
const fmtJson = (v: number) => (Number.isFinite(v) ? v : null);

run().catch((error: unknown) => {
  process.stderr.write(`render: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
