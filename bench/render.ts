/**
 * Render ground-truth focus stacks (bench/groundtruth/), to measure fusion
 * methods against a known truth with `focus-stacking evaluate`.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/render.js                # .bench/groundtruth/
 *   node dist/bench/render.js --out /tmp/gt --size 512x384 --frames 6 --scenes occlusion
 *   node dist/bench/render.js --photo p.jpg --depth-map d.png --scenes custom
 *
 * For each scene it writes, to OUT/<scene>/: frame_00.png .. frame_<N-1>.png
 * (frame i focused at depth i), truth.png (all in focus), depth.png (the true
 * depth: frame i as round(255 i / (N - 1))), band.png (255 within --band px
 * of the depth discontinuities, where fusion leaves halos; when there are
 * any), oracle.png (each pixel from the frame of its true depth) and
 * scene.json (the parameters and the oracle's figures). It prints, for each
 * scene, the figures of the oracle (the best any per-pixel selection can do)
 * and of the best single frame against the truth, over the image less a
 * --border, and within the band.
 *
 * Flags: --out DIR (.bench/groundtruth), --size WxH (1024x768), --frames N (8),
 * --blur SIGMA a frame of defocus in px (1.5), --slices a frame (4),
 * --scenes list (ramp,steps,occlusion; custom needs --depth-map),
 * --photo (the shared pcb_004.jpg, else fixtures/pcb/pcb_007.jpg),
 * --object photo of the near objects (fixtures/pcb/pcb_001.jpg, turned half a turn),
 * --depth-map (for custom), --band PX (24), --border PX (16), --codec.
 * Deterministic: the same flags give the same files.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bandAroundEdges, loadImage, psnr, saveImage, shareOff, ssim, type CodecName, type Image } from '../lib/index.js';
import { oracle, renderStack, RENDER_DEFAULTS, type RenderedStack, type Scene } from './groundtruth/render.js';
import { customScene, occlusionScene, rampScene, stepsScene, textureFromPhoto } from './groundtruth/scenes.js';

const SHARED_PHOTO = '/work/shared/datasets/pcb/pcb_004.jpg';
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/pcb/${name}`, import.meta.url));

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

async function writeStack(dir: string, stack: RenderedStack, band: Uint8Array | undefined, best: Image, codec: CodecName | undefined): Promise<void> {
  await mkdir(dir, { recursive: true });
  const digits = Math.max(2, String(stack.frames.length - 1).length);
  const save = (image: Image, name: string) => saveImage(image, join(dir, name), { codec });
  await Promise.all(stack.frames.map((frame, i) => save(frame, `frame_${String(i).padStart(digits, '0')}.png`)));
  await save(stack.truth, 'truth.png');
  await save(stack.depth, 'depth.png');
  await save(best, 'oracle.png');
  if (band) await save({ ...stack.depth, data: band.map((v) => v * 255) }, 'band.png');
}

const fmt = (v: number | null, digits = 2) => (v === null ? '-' : v === Infinity ? 'inf' : v.toFixed(digits));

async function run(): Promise<void> {
  const out = resolve(flag('out', '.bench/groundtruth'));
  const [width, height] = flag('size', '1024x768').split('x').map(Number);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) throw new Error(`--size: expected WxH, each at least 16, but received "${flag('size')}"`);
  const frames = numberFlag('frames', RENDER_DEFAULTS.frames, true, 2);
  const blurPerFrame = numberFlag('blur', RENDER_DEFAULTS.blurPerFrame, false, 0);
  const slicesPerFrame = numberFlag('slices', RENDER_DEFAULTS.slicesPerFrame, true, 1);
  const radius = numberFlag('band', 24, false, 0);
  const border = numberFlag('border', 16, true, 0);
  const codec = flag('codec') as CodecName | undefined;
  const depthMap = flag('depth-map');
  const names = flag('scenes', depthMap ? 'custom' : 'ramp,steps,occlusion').split(',');
  const photoPath = flag('photo') ?? (existsSync(SHARED_PHOTO) ? SHARED_PHOTO : fixture('pcb_007.jpg'));
  const objectPath = flag('object') ?? fixture('pcb_001.jpg');

  const photo = await loadImage(photoPath, { codec });
  const texture = textureFromPhoto(photo, width, height);
  const scenes: Scene[] = [];
  for (const name of names) {
    switch (name) {
      case 'ramp':
        scenes.push(rampScene(texture, frames));
        break;
      case 'steps':
        scenes.push(stepsScene(texture, frames));
        break;
      case 'occlusion':
        scenes.push(occlusionScene(texture, textureFromPhoto(await loadImage(objectPath, { codec }), width, height, true), frames));
        break;
      case 'custom': {
        if (!depthMap) throw new Error('--scenes custom: needs --depth-map');
        const map = await loadImage(depthMap, { codec });
        scenes.push(customScene(textureFromPhoto(photo, map.width, map.height), map, frames));
        break;
      }
      default:
        throw new Error(`--scenes: expected ramp, steps, occlusion or custom but received "${name}"`);
    }
  }

  process.stdout.write(`photo ${photoPath}, ${width}x${height}, N = ${frames}, blur ${blurPerFrame} px/frame, ${slicesPerFrame} slices/frame; figures over the image less ${border} px, band = within ${radius} px of depth jumps of more than 1 frame\n\n`);
  const header = ['scene', 'render s', 'oracle PSNR', 'SSIM', 'off>2', 'band PSNR', 'band %', 'best frame', 'its PSNR', 'band PSNR'];
  const rows: string[][] = [];
  for (const scene of scenes) {
    const t0 = performance.now();
    const stack = renderStack(scene, { frames, blurPerFrame, slicesPerFrame });
    const seconds = (performance.now() - t0) / 1000;
    const mask = bandAroundEdges(stack.indices, scene.width, scene.height, radius);
    let inside = 0;
    for (let y = border; y < scene.height - border; y++) for (let x = border; x < scene.width - border; x++) inside += mask[y * scene.width + x];
    const band = inside > 0 ? mask : undefined;
    const best = oracle(stack);
    const figures = measure(best, stack.truth, border, band);
    const single = stack.frames.map((frame) => measure(frame, stack.truth, border, band));
    const bestFrame = single.reduce((b, f, i) => (f.psnr > single[b].psnr ? i : b), 0);
    const dir = join(out, scene.name);
    await writeStack(dir, stack, band, best, codec);
    const coverage = inside / ((scene.width - 2 * border) * (scene.height - 2 * border));
    const json = {
      scene: scene.name,
      description: scene.description,
      photo: photoPath,
      width: scene.width,
      height: scene.height,
      frames,
      blurPerFrame,
      slicesPerFrame,
      border,
      band: { radius, coverage },
      oracle: { ...figures, psnr: fmtJson(figures.psnr) },
      frameFigures: single.map((f) => ({ ...f, psnr: fmtJson(f.psnr) })),
    };
    await writeFile(join(dir, 'scene.json'), `${JSON.stringify(json, null, 2)}\n`);
    rows.push([scene.name, seconds.toFixed(1), fmt(figures.psnr), fmt(figures.ssim, 4), `${(figures.shareOff * 100).toFixed(2)} %`, fmt(figures.bandPsnr), `${(coverage * 100).toFixed(1)}`, String(bestFrame), fmt(single[bestFrame].psnr), fmt(single[bestFrame].bandPsnr)]);
    process.stdout.write(`${scene.name}: ${scene.description} -> ${dir}\n`);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  process.stdout.write(`\n${line(header)}\n${rows.map(line).join('\n')}\n`);
}

/** JSON has no Infinity. */
const fmtJson = (v: number) => (Number.isFinite(v) ? v : null);

run().catch((error: unknown) => {
  process.stderr.write(`render: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
