/**
 * Benchmark of alignment on a real stack: the 7 pcb frames (2048x1536, 3 MP),
 * neighbours chained outwards from the middle frame, as the N-frame engine does.
 *
 *   npm run build && node dist/bench/align.js [--dir DIR] [--size 1024]
 *
 * DIR defaults to ../shared/datasets/pcb beside the repository, else
 * fixtures/pcb (see bench/datasets.ts).
 *
 * Wall times depend on what else runs on the machine; the CPU column is the
 * process's CPU time for the estimate (OpenCV.js runs on one thread).
 *
 * Per frame: the time to make its 1024 px thumbnail, the time of the
 * neighbour-pair estimate (phase correlation at 256 px, ECC at 512 and 1024
 * px), the method and ECC correlation, the scale, rotation and shift of the
 * pair's matrix and of the chained matrix relative to the reference; then
 * the full-resolution warp (serial kernel) and gain/offset fit of each frame.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  affineParameters, alignThumbnail, composeAffine, estimateTransform, fitGainOffset, IDENTITY_AFFINE,
  loadImage, loadOpenCV, kernels, type Affine, type Image, type Thumbnail,
} from '../lib/index.js';
import { pcbDir } from './datasets.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const dir = pcbDir(arg('dir', '') || undefined);
const size = Number(arg('size', '1024'));
const files = readdirSync(dir).filter((f) => /\.(jpe?g|png|tiff?)$/i.test(f)).sort();
await loadOpenCV();
const images: Image[] = [];
for (const f of files) images.push(await loadImage(join(dir, f)));
const { width, height } = images[0];
console.log(`${files.length} frames of ${width}x${height} from ${dir}; thumbnails ${size} px; reference ${files[files.length >> 1]}`);

const thumbs: Thumbnail[] = [];
const thumbMs: number[] = [];
for (const img of images) {
  const t0 = performance.now();
  thumbs.push(alignThumbnail(img, size));
  thumbMs.push(performance.now() - t0);
}

const r = files.length >> 1;
const matrices: Affine[] = files.map(() => IDENTITY_AFFINE);
const rows: string[] = [];
const pad = (s: string | number, n: number) => String(s).padStart(n);
const fmt = (m: Affine) => {
  const p = affineParameters(m);
  return `${pad(p.scale.toFixed(4), 7)} ${pad(p.rotation.toFixed(3), 7)} ${pad(`(${p.shift[0].toFixed(1)}, ${p.shift[1].toFixed(1)})`, 16)}`;
};
let total = 0;
let totalCpu = 0;
for (const dir of [1, -1]) {
  let previousStep: Affine | undefined;
  for (let k = r + dir; k >= 0 && k < files.length; k += dir) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const est = estimateTransform(thumbs[k - dir], thumbs[k], { init: previousStep, name: files[k] });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    total += ms;
    totalCpu += cpuMs;
    previousStep = est.matrix;
    matrices[k] = composeAffine(est.matrix, matrices[k - dir]);
    rows.push(`${files[k]} vs ${files[k - dir]}  ${pad(thumbMs[k].toFixed(0), 5)} ${pad(ms.toFixed(0), 6)} ${pad(cpuMs.toFixed(0), 6)}  ${est.method.padEnd(11)} ${est.correlation.toFixed(4)}  ${fmt(est.matrix)}   ${fmt(matrices[k])}${est.warning ? `\n  warning: ${est.warning}` : ''}`);
  }
}
console.log(`pair                        thumb ms  pair ms    cpu  method      corr    pair: scale  rot°   shift px          to reference: scale  rot°   shift px`);
for (const row of rows) console.log(row);
console.log(`mean per pair: ${(total / (files.length - 1)).toFixed(0)} ms estimate (${(totalCpu / (files.length - 1)).toFixed(0)} ms CPU, one thread) + ${(thumbMs.reduce((a, b) => a + b) / files.length).toFixed(0)} ms thumbnail`);

// Full-resolution warp (serial kernel) and gain/offset fit, per frame.
const out = { width, height, channels: 3, data: new Float32Array(width * height * 3) };
const coverage = new Uint8Array(width * height);
for (let k = 0; k < files.length; k++) {
  if (k === r) continue;
  const t0 = performance.now();
  kernels.warpAffine(images[k], matrices[k], [1, 1, 1], [0, 0, 0], out, coverage);
  const t1 = performance.now();
  const { gain, offset } = fitGainOffset(images[r], out, { coverage });
  const t2 = performance.now();
  let covered = 0;
  for (const c of coverage) covered += c;
  console.log(`${files[k]}: warp ${(t1 - t0).toFixed(0)} ms, covers ${((100 * covered) / coverage.length).toFixed(1)} %, gain/offset fit ${(t2 - t1).toFixed(0)} ms: gain [${gain.map((g) => g.toFixed(4))}] offset [${offset.map((o) => o.toFixed(2))}]`);
}
