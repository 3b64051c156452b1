// The page in a real browser: Debian's Chromium, headless, driven by playwright-core. The
// server of `focus-stacking web` serves the page; the 4 pcb fixtures, downscaled to 640x480
// and given as PNG (so that both sides decode the same samples), go in through the file
// input; the result and the depth map must match what the Node.js API (`stack`) makes of
// the same files with the same options. The page must stay responsive while it computes,
// and fetch nothing while it does. A screenshot of the finished page is saved as an artefact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageFromMat, loadImage, loadOpenCV, matFromImage, MatScope, resize, saveImage, stack, type Image } from '../../lib/index.js';
import { serveWeb, type WebServer } from '../../lib/cli/web.js';
import { diffStats } from '../helpers/compare.js';

// What the page's functions see (they run in the browser; this file is compiled without the DOM's types).
declare const window: any, document: any, crossOriginIsolated: boolean, btoa: (text: string) => string; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/web/ -> the repository
const FIXTURES = join(ROOT, 'fixtures', 'pcb');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface PageResult {
  image: string;
  depth: string;
  transforms: string;
  download: boolean;
  maxGapMs: number;
  ticks: number;
  runMs: number;
  requests: string[];
}

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: the browser test needs ${CHROMIUM} (Debian package chromium: apt-get install -y chromium)`);
  test.skip('the page stacks the pcb fixtures in Chromium as Node.js does');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'focus-stacking-web-'));
  let server: WebServer | undefined;
  // playwright-core is a devDependency: imported only when the browser is there.
  let browser: import('playwright-core').BrowserContext | undefined;

  test.after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The fixtures at 640x480, as PNG files (decoded once, by Node.js; both sides then read the same samples). */
  async function frames(): Promise<string[]> {
    await loadOpenCV();
    const paths: string[] = [];
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.jpg')).sort()) {
      const image = await loadImage(join(FIXTURES, name));
      using scope = new MatScope();
      const small = imageFromMat(scope.track(resize(scope.track(matFromImage(image)), { dsize: [640, 480], interpolation: 3 /* INTER_AREA */ })));
      const path = join(dir, name.replace(/\.jpg$/, '.png'));
      await saveImage(small, path);
      paths.push(path);
    }
    return paths;
  }

  async function decodePng(base64: string, name: string): Promise<Image> {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(base64, 'base64'));
    return loadImage(path);
  }

  let t0 = 0;
  const lap = (what: string) => console.log(`  ${what}: ${Date.now() - t0} ms into the test`);
  test('the page stacks the pcb fixtures in Chromium as Node.js does, and stays responsive', async () => {
    t0 = Date.now();
    const paths = await frames();
    const expected = await stack(paths, { method: 'dmap', depthMap: true, align: true });

    lap('Node.js reference');
    const { chromium } = await import('playwright-core');
    server = await serveWeb({ port: 0 });
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 900 } });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.waitForFunction(() => window.focusStacking.state !== 'loading', null, { timeout: 30_000 });
    lap('page ready');
    const engine = await page.evaluate(() => window.focusStacking);
    assert.is(engine.state, 'ready', JSON.stringify(engine));
    assert.ok(await page.evaluate(() => crossOriginIsolated), 'the page is cross-origin isolated (COOP/COEP)');

    await page.setInputFiles('#files', paths);
    await page.waitForFunction(() => document.querySelectorAll('#thumbs li').length === 4 && !document.getElementById('run').disabled);
    const order = await page.$$eval('#thumbs .name', (names: any[]) => names.map((n) => n.textContent));
    assert.equal(order, ['1. pcb_001.png', '2. pcb_003.png', '3. pcb_004.png', '4. pcb_007.png']);

    // Nothing is fetched while it computes (it works offline once loaded).
    const requests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('blob:') && !request.url().startsWith('data:')) requests.push(request.url());
    });
    // A heartbeat on the main thread: the longest gap between 10 ms timers during the run.
    await page.evaluate(() => {
      const beat = { last: performance.now(), maxGap: 0, ticks: 0, timer: 0 };
      beat.timer = window.setInterval(() => {
        const now = performance.now();
        beat.maxGap = Math.max(beat.maxGap, now - beat.last);
        beat.last = now;
        beat.ticks++;
      }, 10);
      window.beat = beat;
    });
    const started = Date.now();
    await page.click('#run');
    await page.waitForFunction(() => ['done', 'error'].includes(window.focusStacking.state), null, { timeout: 60_000 });
    const runMs = Date.now() - started;
    lap('stacked in the page');
    const got: PageResult = await page.evaluate(async (): Promise<PageResult> => {
      const w = window;
      clearInterval(w.beat.timer);
      if (w.focusStacking.state !== 'done') throw new Error(`the page failed: ${w.focusStacking.error}`);
      const base64 = async (blob: Blob) => {
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(text);
      };
      const { image, depth, transforms } = w.focusStacking.result;
      // The download link gives the same file.
      const link = document.getElementById('download-image');
      const linked = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
      const direct = new Uint8Array(await image.arrayBuffer());
      const download = linked.length === direct.length && linked.every((v, i) => v === direct[i]);
      return { image: await base64(image), depth: await base64(depth), transforms, download, maxGapMs: w.beat.maxGap, ticks: w.beat.ticks, runMs: 0, requests: [] };
    });
    assert.equal(errors, [], 'no error in the page');
    assert.ok(got.download, 'the download link holds the result');

    const image = await decodePng(got.image, 'browser-result.png');
    const depthRgb = await decodePng(got.depth, 'browser-depth.png'); // a canvas writes RGB: gray in each channel
    assert.is(depthRgb.channels, 3);
    const depth = { ...depthRgb, channels: 1 as const, data: depthRgb.data.filter((_, i) => i % 3 === 0) };
    assert.ok(depth.data.every((v, i) => depthRgb.data[3 * i + 1] === v && depthRgb.data[3 * i + 2] === v), 'the depth map is gray');
    const s = diffStats(image, expected.image, 1);
    const d = diffStats(depth, expected.depth!, 0);
    console.log(
      `browser vs Node.js, 4 frames 640x480 dmap aligned: result max diff ${s.maxDiff}, ${(s.farFraction * 100).toFixed(4)} % beyond 1 level (first ${s.firstFar ?? 'none'}); ` +
        `depth map max diff ${d.maxDiff}, ${(d.farFraction * 100).toFixed(4)} % differ; run ${runMs} ms, main thread longest gap ${got.maxGapMs.toFixed(0)} ms over ${got.ticks} ticks`,
    );
    assert.ok(s.maxDiff <= 1, `the result is within 1 level of Node's: max diff ${s.maxDiff} at ${s.firstFar}`);
    assert.is(d.maxDiff, 0, `the depth map is Node's: first difference ${d.firstFar}`);

    const file = JSON.parse(got.transforms) as { reference: number; width: number; height: number; frames: { file: string; matrix: number[][] }[] };
    assert.equal([file.width, file.height, file.reference], [640, 480, expected.report.reference]);
    assert.equal(file.frames.map((f) => f.file), ['pcb_001.png', 'pcb_003.png', 'pcb_004.png', 'pcb_007.png']);
    file.frames.forEach((f, i) => f.matrix.flat().forEach((v, j) => assert.ok(Math.abs(v - expected.transforms[i].matrix.flat()[j]) < 1e-9, `frame ${i} matrix[${j}]: ${v} vs ${expected.transforms[i].matrix.flat()[j]}`)));

    // Responsive: the timers kept firing all along (a computation on the main thread would stop them for the whole run).
    assert.ok(got.ticks >= runMs / 100, `the main thread ran ${got.ticks} timer ticks in ${runMs} ms`);
    assert.ok(got.maxGapMs < 500, `the main thread's longest pause was ${got.maxGapMs.toFixed(0)} ms`);
    assert.equal(requests, [], 'nothing fetched while computing');

    const artifacts = process.env.CI_ARTIFACTS || join(ROOT, 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'web-page.png'), fullPage: true });
  });

  test('the page says which files are not images and which frames differ in size', async () => {
    assert.ok(browser && server, 'the first test started the browser');
    const page = await browser.newPage();
    await page.goto(server.url);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not an image\n');
    await page.setInputFiles('#files', [text]);
    await page.waitForSelector('#message:not([hidden])');
    assert.match(await page.textContent('#message') ?? '', /^Not an image this browser can decode: notes\.txt/);
    const small = join(dir, 'small.png');
    await saveImage({ width: 32, height: 24, channels: 3, data: new Uint8Array(32 * 24 * 3) }, small);
    await page.setInputFiles('#files', [join(dir, 'pcb_001.png'), small]);
    await page.waitForFunction(() => document.querySelectorAll('#thumbs li').length === 2);
    assert.is(await page.textContent('#message'), 'Frames must have the same size: small.png is 32x24 but pcb_001.png is 640x480.');
    await page.close();
  });
}

test.run();
