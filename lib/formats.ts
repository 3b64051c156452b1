/**
 * The image file formats as the file layer (`lib/io.ts`) and the command line
 * name them: their extensions, their names for messages, their bit depths.
 * Internal (Node only): not part of the public API.
 */
import { extname } from 'node:path';
import { Format } from './codecs/codec.js';

/** File extensions (lower case, with the dot) and their formats. */
export const EXTENSIONS: Readonly<Record<string, Format>> = Object.freeze({
  '.jpg': Format.JPG,
  '.jpeg': Format.JPG,
  '.png': Format.PNG,
  '.tif': Format.TIF,
  '.tiff': Format.TIF,
  '.bmp': Format.BMP,
});

/** The extensions for a message: `.jpg, .jpeg, .png, .tif, .tiff, .bmp`. */
export const EXTENSION_LIST = Object.keys(EXTENSIONS).join(', ');

/** Each format's name for people. */
export const FORMAT_NAMES: Readonly<Record<Format, string>> = Object.freeze({ jpg: 'JPEG', png: 'PNG', tif: 'TIFF', bmp: 'BMP' });

/** The format of a path from its extension (in any case), or undefined for another extension. */
export function formatOfPath(path: string): Format | undefined {
  const ext = extname(path).toLowerCase();
  return Object.hasOwn(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
}

/** Whether a format holds 16-bit samples (PNG, TIFF); JPEG and BMP hold 8 bits. */
export function holdsSixteenBits(format: Format): boolean {
  return format === Format.PNG || format === Format.TIF;
}
