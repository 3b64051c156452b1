/**
 * `focus-stacking web [--port P] [--host H]`: serve the page (`web/`) from
 * the installed package, on 127.0.0.1 by default, with the headers that make
 * it cross-origin isolated (COOP/COEP, so that its workers share memory) and
 * a content security policy that lets OpenCV.js compile its WebAssembly.
 * Prints the address; runs until interrupted.
 *
 * The URL layout is the one a static host needs: the page's files (built to
 * `dist/web/`) at `/`, the library (`dist/lib/`) at `/lib/`, and OpenCV.js
 * (`@techstark/opencv-js/dist/opencv.js`) at `/opencv.js`.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { ExitCode, PROGRAM, usageError, type Command, type CommandContext } from './command.js';
import { checkRepeated, checkShortOptions } from './flags.js';
import { EXIT_STATUS, finishParser, parseOrHelp } from './parser.js';

/** The headers every response carries: cross-origin isolation and the content security policy. */
export const WEB_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; worker-src 'self'; " +
    "img-src 'self' blob: data:; connect-src 'self' blob: data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
});

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Options of {@link serveWeb}. */
export interface ServeWebOptions {
  /**
   * The port; 0 picks a free one.
   * @default 8080
   */
  port?: number;
  /**
   * The address to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
}

/** A running server of the page. */
export interface WebServer {
  /** The page's address, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The HTTP server. */
  readonly server: Server;
  /** Stop listening and close open connections. */
  close(): Promise<void>;
}

/** Where the served files are: the page, the library, OpenCV.js. */
function roots(): { web: string; lib: string; opencv: string } {
  const dist = fileURLToPath(new URL('../../', import.meta.url)); // dist/lib/cli/web.js -> dist/
  const require = createRequire(import.meta.url);
  return { web: join(dist, 'web'), lib: join(dist, 'lib'), opencv: require.resolve('@techstark/opencv-js') };
}

/** The file a URL path names, or undefined (outside the roots, or a type not served). */
function resolvePath(path: string, where: ReturnType<typeof roots>): string | undefined {
  if (path === '/opencv.js') return where.opencv;
  const [root, rest] = path.startsWith('/lib/') ? [where.lib, path.slice(5)] : [where.web, path === '/' ? 'index.html' : path.slice(1)];
  const file = normalize(join(root, rest));
  if (!file.startsWith(root + sep) || !Object.hasOwn(TYPES, extname(file))) return undefined;
  return file;
}

/**
 * Serve the page (see the module's description).
 *
 * @param options - See {@link ServeWebOptions}.
 * @returns The server, once it listens.
 * @throws Error when the port cannot be listened on (`EADDRINUSE`, `EACCES`).
 */
export async function serveWeb(options: ServeWebOptions = {}): Promise<WebServer> {
  const { port = 8080, host = '127.0.0.1' } = options;
  const where = roots();
  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(WEB_HEADERS)) response.setHeader(name, value);
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end('bad request\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end('method not allowed\n');
      return;
    }
    const file = resolvePath(path, where);
    let size: number | undefined;
    try {
      if (file) size = statSync(file).isFile() ? statSync(file).size : undefined;
    } catch {
      size = undefined;
    }
    if (file === undefined || size === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)], 'Content-Length': size });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `focus-stacking web` as a command of the command line. */
export const webCommand: Command = {
  name: 'web',
  summary: 'Serve the focus-stacking page on 127.0.0.1 (everything runs in the browser)',
  async run(argv: string[], { stdout, stderr }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, ['h', 'p']);
    const args = parseOrHelp(
      finishParser(
        yargs()
          .scriptName(PROGRAM)
          .locale('en')
          .usage(`Usage: ${PROGRAM} web [--port P]\n\nServe the page that stacks frames in the browser (nothing is uploaded: the server only sends the page).`)
          .options({
            port: { alias: 'p', type: 'number', default: 8080, requiresArg: true, describe: 'Port to listen on (0: any free port)' },
            host: { type: 'string', default: '127.0.0.1', requiresArg: true, describe: 'Address to listen on' },
          })
          .example([[`${PROGRAM} web --port 8080`, 'then open http://127.0.0.1:8080/ in Chromium, Firefox or Safari']])
          .epilogue(EXIT_STATUS),
        false,
      ),
      argv,
      stdout,
    );
    if (args === undefined) return ExitCode.OK;
    checkRepeated(args, { port: { takes: 'one value' }, host: { takes: 'one value' } });
    const port = args.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port: expected an integer from 0 to 65535 but received ${JSON.stringify(String(port))}`);
    let web: WebServer;
    try {
      web = await serveWeb({ port, host: args.host });
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw usageError(`--port: cannot listen on ${args.host}:${port}${code ? ` (${code})` : ''}`);
    }
    stderr.write(`${PROGRAM}: serving the page at ${web.url} (Ctrl-C to stop)\n`);
    stdout.write(`${web.url}\n`);
    await new Promise<void>((resolve) => web.server.once('close', resolve));
    return ExitCode.OK;
  },
};
