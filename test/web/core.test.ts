// The core knows nothing of Node.js: it type-checks without Node's types (tsconfig.core.json),
// and what a page loads (the package's `browser` entry, the engine and band workers, the front
// end) imports, as compiled, nothing but files of its own: no node: module, no package.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/web/ -> the repository
const DIST = join(ROOT, 'dist');

test('tsconfig.core.json type-checks the core with no Node.js types', async () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.core.json'), '--listFiles'], { cwd: ROOT, maxBuffer: 16 << 20 });
  const files = stdout.split('\n').filter(Boolean);
  assert.ok(files.some((f) => f.endsWith('lib/engine/stack.ts')), 'the engine is checked');
  assert.ok(files.some((f) => f.endsWith('lib/cv/runtime.ts')), 'the OpenCV.js runtime is checked');
  const node = files.filter((f) => /@types\/node\/|lib\/(io|atomic|cli\/|codecs\/(sharp|jimp|index)|parallel\/(threads|worker|index)|engine\/node|cv\/nodeLoader)/.test(f));
  assert.equal(node, [], 'no Node.js types and no Node-only file in the core');
});

/** Every module a page loads from `entry`, following the compiled imports; fails on a specifier that is not a relative path. */
function graph(entry: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(entry)) return seen;
  const text = readFileSync(entry, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|[;\s])(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[;\s])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
  seen.set(entry, specifiers);
  for (const s of specifiers) {
    assert.ok(s.startsWith('./') || s.startsWith('../'), `${relative(DIST, entry)} imports ${JSON.stringify(s)}`);
    graph(resolve(dirname(entry), s), seen);
  }
  return seen;
}

test('what a page loads imports only its own files', () => {
  const entries = ['lib/browser.js', 'lib/web/engineWorker.js', 'lib/parallel/webWorker.js', 'web/main.js'].map((f) => join(DIST, f));
  const modules = new Map<string, string[]>();
  for (const entry of entries) graph(entry, modules);
  const files = [...modules.keys()].map((f) => relative(DIST, f));
  assert.ok(files.includes('lib/engine/stack.js') && files.includes('lib/align/estimate.js') && files.includes('lib/kernels/fold.js'), 'the engine, alignment and kernels are there');
  const nodeOnly = files.filter((f) => /^lib\/(io|atomic|cli\/|codecs\/|parallel\/(threads|worker|index)|engine\/(node|index)|cv\/nodeLoader|index\.js)/.test(f));
  assert.equal(nodeOnly, [], 'no Node-only module');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, unknown>> };
  assert.equal(pkg.exports['.'].browser, { types: './dist/lib/browser.d.ts', default: './dist/lib/browser.js' });
});

test('the browser entry exports the core and the page helpers, and nothing of Node.js', async () => {
  const browser = await import('../../lib/browser.js');
  for (const name of ['stackFrames', 'alignFrames', 'useOpenCV', 'loadOpenCV', 'decodeImageBlob', 'encodeImageBlob', 'webExecutor', 'StackWorker', 'serialExecutor', 'transformsToJSON', 'psnr']) {
    assert.type((browser as Record<string, unknown>)[name], 'function', name);
  }
  assert.type(browser.kernels.warpAffine, 'function');
  for (const name of ['stack', 'align', 'loadImage', 'saveImage', 'main', 'executorFor', 'ThreadedExecutor', 'stackPair']) assert.not.ok(name in browser, name);
  const node = await import('../../lib/index.js');
  assert.is(browser.stackFrames, node.stackFrames, 'the same core as the Node.js entry');
});

test.run();
