// `focus-stacking web`: the server of the page. Its headers (cross-origin isolation, the
// content security policy), what it serves and what it refuses; the command's output and errors.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serveWeb, WEB_HEADERS, type WebServer } from '../../lib/cli/web.js';
import { runCli } from '../helpers/cli.js';

let web: WebServer;
test.before(async () => {
  web = await serveWeb({ port: 0 });
});
test.after(async () => {
  await web.close();
});

/** A raw request (no URL normalisation), for paths that fetch would clean up. */
function raw(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { port } = new URL(web.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page, with the headers of cross-origin isolation and a CSP that lets WebAssembly compile', async () => {
  assert.match(web.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const response = await fetch(web.url);
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.is(response.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.is(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'/);
  assert.match(csp, /default-src 'self'/);
  for (const [name, value] of Object.entries(WEB_HEADERS)) assert.is(response.headers.get(name), value, name);
  const html = await response.text();
  assert.match(html, /<input id="files" type="file" accept="image\/\*" multiple>/);
  assert.match(html, /<script type="module" src="main.js"><\/script>/);
});

test('the front end, the library and OpenCV.js from the installed package', async () => {
  const main = await fetch(new URL('main.js', web.url));
  assert.is(main.status, 200);
  assert.is(main.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(await main.text(), /from '\.\.\/lib\/web\/client\.js'/);
  const worker = await fetch(new URL('lib/web/engineWorker.js', web.url));
  assert.is(worker.status, 200);
  assert.match(await worker.text(), /stackFrames/);
  const opencv = await raw('/opencv.js', 'HEAD');
  assert.is(opencv.status, 200);
  const file = createRequire(import.meta.url).resolve('@techstark/opencv-js');
  assert.is(Number(opencv.headers['content-length']), statSync(file).size);
  assert.is((await fetch(new URL('style.css', web.url))).headers.get('content-type'), 'text/css; charset=utf-8');
});

test('nothing outside the page, the library and OpenCV.js; only GET and HEAD', async () => {
  for (const path of ['/lib/%2e%2e/%2e%2e/package.json', '/../package.json', '/lib/../../README.md', '/nothing.js', '/lib/index.d.ts', '/lib/web']) {
    const response = await raw(path);
    assert.is(response.status, 404, path);
    assert.is(response.headers['cross-origin-embedder-policy'], 'require-corp', `${path}: headers on errors too`);
  }
  assert.is((await raw('/%E0%A4%A')).status, 400);
  assert.is((await raw('/', 'POST')).status, 405);
});

test('focus-stacking web --help; bad ports are usage errors', async () => {
  const help = await runCli(['web', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /Usage: focus-stacking web \[--port P\]/);
  const bad = await runCli(['web', '--port', '70000']);
  assert.is(bad.code, 2);
  assert.is(bad.stderr, 'focus-stacking: --port: expected an integer from 0 to 65535 but received "70000"\n');
  const { port } = new URL(web.url);
  const busy = await runCli(['web', '--port', port]);
  assert.is(busy.code, 2);
  assert.is(busy.stderr, `focus-stacking: --port: cannot listen on 127.0.0.1:${port} (EADDRINUSE)\n`);
  const twice = await runCli(['web', '--port', '1', '--port', '2']);
  assert.is(twice.code, 2);
  assert.match(twice.stderr, /--port: given 2 times/);
});

test('focus-stacking web prints the address and serves until terminated', async () => {
  const bin = fileURLToPath(new URL('../../bin/focus-stacking.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.endsWith('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.match(stderr, new RegExp(`^focus-stacking: serving the page at ${url.replace(/[.]/g, '\\.')} \\(Ctrl-C to stop\\)\\n$`));
  const page = await fetch(url);
  assert.is(await page.text(), readFileSync(fileURLToPath(new URL('../../web/index.html', import.meta.url)), 'utf8'));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.is(await exited, 143);
});

test.run();
