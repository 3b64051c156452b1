import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CodecName, Format, getCodec, jimpCodec, loadSharpCodec } from '../../lib/codecs/index.js';
import { rejects } from '../helpers/files.js';

const sharpLoads = (await loadSharpCodec()) !== undefined;

test('the closed sets', () => {
  assert.equal(Object.values(CodecName), ['sharp', 'jimp']);
  assert.equal(Object.values(Format), ['jpg', 'png', 'tif', 'bmp']);
});

test('getCodec: jimp on request, sharp by default when it loads, each loaded once', async () => {
  assert.is(await getCodec('jimp'), jimpCodec);
  const byDefault = await getCodec();
  assert.is(byDefault.name, sharpLoads ? 'sharp' : 'jimp');
  assert.is(await getCodec(), byDefault, 'cached');
  if (sharpLoads) assert.is(await getCodec('sharp'), byDefault);
});

test('getCodec: an unknown name is a TypeError', async () => {
  await rejects(() => getCodec('vips' as CodecName), /^TypeError: Expected one of sharp, jimp for codec but received "vips" \(string\)$/);
});

test('without sharp: jimp by default, and a clear error when sharp is asked for', async () => {
  // A child process whose module resolution fails for 'sharp', as when the optional dependency is missing.
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier === 'sharp') throw Object.assign(new Error("Cannot find package 'sharp'"), { code: 'ERR_MODULE_NOT_FOUND' });
    return next(specifier, context);
  }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const index = new URL('../../lib/codecs/index.js', import.meta.url).href;
  const script = `
    const { getCodec } = await import(${JSON.stringify(index)});
    const byDefault = (await getCodec()).name;
    const error = await getCodec('sharp').then(() => 'no error', (e) => String(e));
    console.log(JSON.stringify({ byDefault, error }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', script]);
  assert.equal(JSON.parse(stdout), {
    byDefault: 'jimp',
    error: "Error: The sharp codec is not available (install the optional dependency 'sharp'), or use the jimp codec",
  });
});

test.run();
