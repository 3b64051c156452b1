// bullmq and ioredis are loaded only by lib/queue: never by the main entry point, whether one reads its
// static imports or loads it and looks at what Node loaded (the queue's own entry point as the control).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every module the static imports (and re-exports) of `entry` reach: project files and package names. */
function staticGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const todo = [entry];
  const seen = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(relative(ROOT, file));
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return { files, packages };
}

test('the main entry point imports neither lib/queue nor bullmq nor ioredis (static imports)', () => {
  const main = staticGraph(join(ROOT, 'lib/index.ts'));
  assert.ok(main.files.includes('lib/cli/worker.ts'), 'the graph reaches the worker command');
  assert.equal(main.files.filter((f) => f.startsWith('lib/queue/')), []);
  assert.not.ok(main.packages.has('bullmq') || main.packages.has('ioredis'), [...main.packages].join(', '));
  const queue = staticGraph(join(ROOT, 'lib/queue/index.ts'));
  assert.ok(queue.packages.has('bullmq'), 'the control: lib/queue imports bullmq');
});

test('loading the main entry point loads no bullmq or ioredis module; loading focus-stacking/queue loads bullmq', () => {
  const loaded = (entry: string) =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(pathToFileURL(join(ROOT, entry)).href)});
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(['bullmq', 'ioredis'].filter((p) => cache.some((k) => k.includes('/node_modules/' + p + '/')))));
    `], { encoding: 'utf8' }).trim();
  assert.is(loaded('dist/lib/index.js'), '[]');
  assert.is(loaded('dist/lib/queue/index.js'), '["bullmq"]'); // the control (bullmq loads ioredis once it connects)
});

test.run();
