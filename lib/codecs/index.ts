/**
 * The codecs, and {@link getCodec} to pick one: sharp when it loads, jimp otherwise.
 */
import { assertOneOf } from '../errors.js';
import { CodecName, type Codec } from './codec.js';
import { jimpCodec } from './jimp.js';
import { loadSharpCodec } from './sharp.js';

export * from './codec.js';
export * from './sniff.js';
export { jimpCodec } from './jimp.js';
export { loadSharpCodec } from './sharp.js';

let sharpCodec: Promise<Codec | undefined> | undefined;

/**
 * Get a codec; sharp is loaded once, on first use.
 *
 * @param name - `'sharp'` or `'jimp'`; by default sharp when it loads, else jimp.
 * @returns The codec.
 * @throws TypeError for an unknown name; Error when `'sharp'` is asked for and
 *   the optional dependency is missing or does not load.
 */
export async function getCodec(name?: CodecName): Promise<Codec> {
  if (name !== undefined) assertOneOf('codec', name, Object.values(CodecName));
  if (name === CodecName.JIMP) return jimpCodec;
  const sharp = await (sharpCodec ??= loadSharpCodec());
  if (sharp) return sharp;
  if (name === CodecName.SHARP) {
    throw new Error("The sharp codec is not available (install the optional dependency 'sharp'), or use the jimp codec");
  }
  return jimpCodec;
}
