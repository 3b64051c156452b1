/**
 * The page in headless Chromium against Node.js on the same machine.
 *
 *   node dist/bench/web.js                    # the 7 pcb frames: Node.js, then the page (cold)
 *   node dist/bench/web.js --sizes 24,40,41   # also the largest stack: 3 frames of each size (MP)
 *   node dist/bench/web.js --no-pcb --sizes 41  # only that
 *
 * Figures: the time to stack the pcb frames (dmap, aligned, with the depth
 * map) with `stack()` in this process (its frames decoded by sharp, kernels
 * on the default threads), and in the page (`focus-stacking web`'s server,
 * frames through the file input, decoded by the browser, kernels on Web
 * Workers), twice: the first run in a fresh page and a second in the same
 * page; the time from opening the page to ready (cold: a fresh profile, the
 * engine worker loads OpenCV.js); with --sizes, whether the page completes
 * 3 frames of N megapixels (frames made by upscaling a pcb frame), or what it
 * says. Needs /usr/bin/chromium (Debian package chromium).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageFromMat, loadImage, loadOpenCV, matFromImage, MatScope, resize, saveImage, stack } from '../lib/index.js';
import { serveWeb } from '../lib/cli/web.js';
import { jpegFrames, pcbDir } from './datasets.js';

declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface PageRun {
  state: string;
  ms: number;
  workerMs?: number;
  message?: string;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const frames = jpegFrames(pcbDir(arg('dir')));
  const sizes = (arg('sizes') ?? '').split(',').filter(Boolean).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'bench-web-'));
  const server = await serveWeb({ port: 0 });
  const { chromium } = await import('playwright-core');
  let context: import('playwright-core').BrowserContext | undefined;
  try {
    await loadOpenCV();
    const pcb = !process.argv.includes('--no-pcb');
    let t = performance.now();
    const node = pcb ? await stack(frames, { method: 'dmap', depthMap: true }) : undefined;
    const nodeMs = performance.now() - t;
    if (node) {
      const { width, height } = node.image;
      console.log(`frames: ${frames.length} x ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP), dmap, aligned, depth map`);
      console.log(`Node.js stack(): ${(nodeMs / 1000).toFixed(2)} s`);
    }

    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, args: ARGS });
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    t = performance.now();
    await page.goto(server.url);
    await page.waitForFunction(() => window.focusStacking.state !== 'loading', null, { timeout: 120_000 });
    const ready = await page.evaluate(() => ({ readyMs: window.focusStacking.readyMs, engine: window.focusStacking.engine }));
    console.log(
      `page ready (cold): ${(ready.readyMs / 1000).toFixed(2)} s from navigation (${((performance.now() - t) / 1000).toFixed(2)} s from goto); ` +
        `OpenCV.js in the worker ${(ready.engine.ms / 1000).toFixed(2)} s; ${ready.engine.threads} threads, shared memory ${ready.engine.shared}`,
    );

    const run = async (files: string[]): Promise<PageRun> => {
      await page.click('#clear');
      await page.setInputFiles('#files', files);
      await page.waitForFunction((n: number) => document.querySelectorAll('#thumbs li').length === n, files.length, { timeout: 120_000 });
      const blocked = await page.evaluate(() => {
        const m = document.getElementById('message');
        return m.hidden ? undefined : m.textContent;
      });
      if (blocked) return { state: 'refused', ms: 0, message: blocked };
      const t0 = performance.now();
      await page.click('#run');
      try {
        await page.waitForFunction(() => ['done', 'error'].includes(window.focusStacking.state), null, { timeout: 600_000 });
      } catch (error) {
        return { state: crashed ? 'tab crashed' : 'timeout', ms: performance.now() - t0, message: String(error) };
      }
      const r = await page.evaluate(() => ({ state: window.focusStacking.state, workerMs: window.focusStacking.result?.ms, message: window.focusStacking.error }));
      return { ...r, ms: performance.now() - t0 };
    };
    const say = (label: string, r: PageRun) =>
      console.log(`${label}: ${r.state} ${(r.ms / 1000).toFixed(2)} s${r.workerMs ? ` (in the worker ${(r.workerMs / 1000).toFixed(2)} s)` : ''}${r.message ? `: ${r.message}` : ''}`);
    if (pcb) {
      const first = await run(frames);
      say('page, first run', first);
      const second = await run(frames);
      say('page, second run', second);
      console.log(`page / Node.js: ${(first.ms / nodeMs).toFixed(2)}x (first run), ${(second.ms / nodeMs).toFixed(2)}x (second run)`);
    }

    for (const mp of sizes) {
      const source = await loadImage(frames[0]);
      const scale = Math.sqrt((mp * 1e6) / (source.width * source.height));
      const big: string[] = [];
      for (let i = 0; i < 3; i++) {
        const image = await loadImage(frames[(i * 2) % frames.length]);
        using scope = new MatScope();
        const w = Math.round(image.width * scale);
        const h = Math.round(image.height * scale);
        const path = join(dir, `big-${mp}-${i}.jpg`);
        await saveImage(imageFromMat(scope.track(resize(scope.track(matFromImage(image)), { dsize: [w, h] }))), path, { quality: 90 });
        big.push(path);
      }
      say(`page, 3 frames of ${mp} MP`, await run(big));
      if (crashed) break;
    }
  } finally {
    await context?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
