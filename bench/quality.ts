/**
 * Quality of the N-frame methods on ground-truth stacks (bench/groundtruth):
 * each scene rendered, stacked with each method (frames given as images,
 * 2 threads, no alignment: the scenes are aligned) and judged against the
 * truth.
 *
 *   npx tsc -p tsconfig.json
 *   node dist/bench/quality.js                  # 512x384, N = 8, every method (and hybrid)
 *   node dist/bench/quality.js --full           # 1024x768
 *   node dist/bench/quality.js --methods dmap,select --scenes occlusion,steps
 *   node dist/bench/quality.js --json out.json  # the figures, also as JSON
 *
 * Figures (16 px border left out): PSNR and SSIM against the truth, the
 * share of samples off by more than 2 levels, the share of depth-map pixels
 * within 1 frame of the true depth (and exactly on it); for scenes with depth jumps, the PSNR
 * over the band around them (24 px) and the oracle's (each pixel from the
 * frame of its true depth) over the same band. Time: CPU seconds of the
 * process (every thread) and wall seconds per run.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { closeExecutors, depthWithin, executorFor, psnr, shareOff, ssim, stackFrames, DEFAULT_STACK_METHOD, type FoldStrategy, type Image, type StackMethod } from '../lib/index.js';
import { eachScene, oracle, SIZES, type GroundTruth, type SceneName } from './groundtruth/index.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** One method's figures on one scene. */
export interface QualityRow {
  scene: SceneName;
  kind: string;
  method: string;
  psnr: number;
  ssim: number;
  off: number;
  depth: number;
  depthExact: number;
  bandPsnr: number | null;
  oracleBandPsnr: number | null;
  oraclePsnr: number;
  cpuS: number;
  wallS: number;
}

/** The methods to compare: the built-in names, or strategies of one's own (for experiments). */
export type MethodEntry = StackMethod | { name: string; strategy: FoldStrategy };

const BORDER = 16;

/**
 * Stack one scene with one method and judge it.
 *
 * @param scene - The rendered scene.
 * @param method - The method.
 * @param threads - Threads.
 * @returns The figures.
 */
export async function judge(scene: GroundTruth, method: MethodEntry, threads = 2): Promise<QualityRow> {
  const n = scene.frames.length;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { image, depth } = await stackFrames(scene.frames, {
    method: typeof method === 'string' ? method : method.strategy,
    depthMap: true,
    align: false, // the scenes are aligned
    executor: executorFor(threads),
  });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const best = oracle(scene);
  const band = scene.band;
  return {
    scene: scene.name,
    kind: scene.kind,
    method: typeof method === 'string' ? method : method.name,
    psnr: psnr(image, scene.truth, { border: BORDER }),
    ssim: ssim(image, scene.truth, { border: BORDER }),
    off: shareOff(image, scene.truth, { border: BORDER }),
    depth: depthWithin(depth as Image, scene.depth, n, { border: BORDER }),
    depthExact: depthWithin(depth as Image, scene.depth, n, { border: BORDER, tolerance: 0 }),
    bandPsnr: band ? psnr(image, scene.truth, { border: BORDER, mask: band }) : null,
    oracleBandPsnr: band ? psnr(best, scene.truth, { border: BORDER, mask: band }) : null,
    oraclePsnr: psnr(best, scene.truth, { border: BORDER }),
    cpuS: (cpu.user + cpu.system) / 1e6,
    wallS,
  };
}

const fmt = (v: number | null, digits = 2) => (v === null ? '-' : Number.isFinite(v) ? v.toFixed(digits) : 'inf');

/** The table, as Markdown. */
export function table(rows: readonly QualityRow[]): string {
  const head = ['scene', 'method', 'PSNR dB', 'SSIM', 'off > 2', 'depth ±1', 'depth exact', 'band dB', 'oracle band', 'band − oracle', 'CPU s', 'wall s'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const gap = r.bandPsnr !== null && r.oracleBandPsnr !== null && Number.isFinite(r.oracleBandPsnr) ? r.bandPsnr - r.oracleBandPsnr : null;
    lines.push(
      `| ${[r.scene, r.method, fmt(r.psnr), fmt(r.ssim, 4), `${(r.off * 100).toFixed(4)} %`, `${(r.depth * 100).toFixed(2)} %`, `${(r.depthExact * 100).toFixed(2)} %`, fmt(r.bandPsnr), fmt(r.oracleBandPsnr), fmt(gap), r.cpuS.toFixed(2), r.wallS.toFixed(2)].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Per method: the worst PSNR and off share on smooth and on stepped scenes, the band gaps to the oracle, the total CPU time. */
export function summary(rows: readonly QualityRow[]): string {
  const methods = [...new Set(rows.map((r) => r.method))];
  const lines = ['| method | min PSNR, smooth | max off > 2, smooth | min PSNR, stepped | max off > 2, stepped | band − oracle, occlusion (each scene) | CPU s (all scenes) |', '|---|---|---|---|---|---|---|'];
  for (const m of methods) {
    const mine = rows.filter((r) => r.method === m);
    const worst = (kind: string) => {
      const of = mine.filter((r) => r.kind === kind);
      return of.length ? [fmt(Math.min(...of.map((r) => r.psnr))), `${(Math.max(...of.map((r) => r.off)) * 100).toFixed(4)} %`] : ['-', '-'];
    };
    const gaps = mine.filter((r) => r.kind === 'occlusion' && r.bandPsnr !== null && r.oracleBandPsnr !== null).map((r) => `${r.scene} ${fmt(r.bandPsnr! - r.oracleBandPsnr!)}`);
    const cpu = mine.reduce((s, r) => s + r.cpuS, 0);
    lines.push(`| ${[m, ...worst('smooth'), ...worst('stepped'), gaps.join(', ') || '-', cpu.toFixed(1)].join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  const size = full ? SIZES.full : SIZES.quick;
  const frames = Number(flag('frames') ?? 8);
  const methods: MethodEntry[] = (flag('methods') ?? 'gradient,pyramid,dmap,select,hybrid').split(',').map((m) => m as StackMethod);
  const scenes = flag('scenes')?.split(',') as SceneName[] | undefined;
  const threads = Number(flag('threads') ?? 2);
  const rows: QualityRow[] = [];
  process.stdout.write(`${size.width}x${size.height}, N = ${frames}, ${threads} threads, border ${BORDER} px, band 24 px; default method: ${DEFAULT_STACK_METHOD}\n\n`);
  for await (const scene of eachScene({ ...size, frames, ...(scenes ? { scenes } : {}) })) {
    for (const method of methods) {
      const row = await judge(scene, method, threads);
      rows.push(row);
      process.stderr.write(`${scene.name} ${row.method}: ${fmt(row.psnr)} dB${row.bandPsnr === null ? '' : `, band ${fmt(row.bandPsnr)} (oracle ${fmt(row.oracleBandPsnr)})`}, ${row.cpuS.toFixed(2)} CPU s\n`);
    }
  }
  console.log(table(rows));
  console.log();
  console.log(summary(rows));
  const mine = rows.filter((r) => r.method === DEFAULT_STACK_METHOD);
  if (mine.length) {
    const clear = mine.filter((r) => r.kind === 'smooth');
    const stepped = mine.filter((r) => r.kind === 'stepped');
    const occl = mine.filter((r) => r.bandPsnr !== null && r.kind === 'occlusion');
    console.log(`\ndefault (${DEFAULT_STACK_METHOD}):`);
    if (clear.length) {
      const minPsnr = Math.min(...clear.map((r) => r.psnr));
      const maxOff = Math.max(...clear.map((r) => r.off));
      console.log(`  no occlusion, smooth depth: PSNR >= ${fmt(minPsnr)} dB (goal 70), off > 2 <= ${(maxOff * 100).toFixed(4)} % (goal < 0.01 %): ${minPsnr >= 70 && maxOff < 1e-4 ? 'met' : 'NOT met'}`);
    }
    if (stepped.length) console.log(`  no occlusion, depth steps (for comparison, no goal): PSNR >= ${fmt(Math.min(...stepped.map((r) => r.psnr)))} dB, off > 2 <= ${(Math.max(...stepped.map((r) => r.off)) * 100).toFixed(4)} %`);
    for (const r of occl) console.log(`  ${r.scene}: band ${fmt(r.bandPsnr)} dB, oracle ${fmt(r.oracleBandPsnr)} dB: ${fmt(r.bandPsnr! - r.oracleBandPsnr!)} dB (goal within 3, aim 1)`);
  }
  const json = flag('json');
  if (json) writeFileSync(json, JSON.stringify({ size, frames, threads, rows }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
  await closeExecutors();
}

// Run when started as a script, not when imported (bench scripts reuse judge()).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
