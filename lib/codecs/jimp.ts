/**
 * The jimp codec: pure JavaScript, always available, and the one that runs in
 * a browser (so nothing from Node here: no `fs`, no `Buffer`).
 *
 * jimp works in 8-bit RGBA. Decoding drops alpha and keeps one channel when
 * the file is grayscale ({@link sniffChannels}); 16-bit PNG and TIFF come out
 * scaled to 8 bits; the EXIF orientation is applied by jimp itself, to JPEG
 * only (exif-parser reads nothing else). The ICC profile and EXIF block of JPEG and PNG
 * files (APP2/APP1 segments, iCCP/eXIf chunks) are kept in `image.metadata`, EXIF
 * orientation reset to 1 (for PNG, whose orientation jimp does not apply, this
 * describes the pixels as they are decoded); TIFF metadata is not read.
 * Encoding writes what jimp's encoders can:
 * - JPEG: 3 components, no chroma subsampling (jpeg-js), even for a gray image;
 * - PNG: real grayscale (colour type 0) for 1 channel, RGB (type 2) for 3;
 * - TIFF: uncompressed 8-bit RGBA (utif2 writes nothing else), gray replicated;
 * - BMP: 24-bit (bmp-ts's 8-bit palette encoder holds only 128 colours), gray replicated.
 * 16-bit images are scaled to 8 bits first. `image.metadata` is written into JPEG
 * and PNG files (`embedMetadata`), not TIFF or BMP.
 */
import { assertNever } from '../errors.js';
import type { Image } from '../image.js';
import { CodecName, Format, type Codec, type DecodeOptions, type EncodeOptions } from './codec.js';
import { embedMetadata, readMetadata } from './metadata.js';
import { checkDecodedSize, checkEncodeArgs, fromRgba, inspectFile, toRgba } from './pixels.js';
import { tiffFirstImage } from './structure.js';

/** jpeg-js refuses images above 100 MP or 512 MB by default; allow what sharp allows (16383², 268 MP). */
const JPEG_DECODE_OPTIONS = { maxResolutionInMP: 268, maxMemoryUsageInMB: 4096, tolerantDecoding: false };

/** jimp, imported on first use (it takes a fifth of a second to load, for nothing when sharp does the work). */
const loadJimp = (() => {
  let loading: Promise<typeof import('jimp')> | undefined;
  return () => (loading ??= import('jimp'));
})();

/** PNG colour types of pngjs. */
const PNG_GRAY = 0;
const PNG_RGB = 2;

/** The jimp codec; see the module documentation for what each format does. */
export const jimpCodec: Codec = {
  name: CodecName.JIMP,

  async decode(bytes: Uint8Array, options: DecodeOptions = {}): Promise<Image> {
    const layout = inspectFile(bytes, options);
    const { Jimp, JimpMime } = await loadJimp();
    // jimp takes a Buffer or an ArrayBuffer: an exact-size copy (a Node Buffer
    // may be a view of a larger pool) keeps Buffer out of this file. utif2
    // decodes every page and follows every sub-IFD: give it the first image only.
    const copy = layout.format === Format.TIF ? tiffFirstImage(bytes) : new Uint8Array(bytes);
    const image = await Jimp.fromBuffer(copy.buffer, { [JimpMime.jpeg]: JPEG_DECODE_OPTIONS });
    // fromBuffer has already applied the EXIF orientation (JPEG only, via
    // exif-parser) and reset the tag: nothing more to rotate here.
    const { data, width, height } = image.bitmap;
    checkDecodedSize(width, height, layout);
    const metadata = await readMetadata(bytes, layout.format);
    const decoded = fromRgba(data, width, height, layout.channels);
    return metadata ? { ...decoded, metadata } : decoded;
  },

  async encode(image: Image, format: Format, options: EncodeOptions = {}): Promise<Uint8Array> {
    const quality = checkEncodeArgs(image, format, options);
    return embedMetadata(await encodeWith(image, format, quality), format, image.metadata);
  },
};

/** Encode with jimp (which writes no metadata). */
async function encodeWith(image: Image, format: Format, quality: number): Promise<Uint8Array> {
  const { width, height } = image;
  const { Jimp, JimpMime } = await loadJimp();
  // A fresh array: fromBitmap wraps its whole ArrayBuffer without copying.
  const jimp = Jimp.fromBitmap({ width, height, data: toRgba(image) });
  switch (format) {
    case Format.JPG:
      // jpeg-js writes 16-bit sizes without checking them.
      if (width > 65535 || height > 65535) throw new Error(`Image too large for JPEG: ${width}x${height} (at most 65535 a side)`);
      return jimp.getBuffer(JimpMime.jpeg, { quality });
    case Format.PNG:
      return jimp.getBuffer(JimpMime.png, { colorType: image.channels === 1 ? PNG_GRAY : PNG_RGB, deflateLevel: 6 });
    case Format.TIF:
      return jimp.getBuffer(JimpMime.tiff);
    case Format.BMP:
      return jimp.getBuffer(JimpMime.bmp);
    default:
      return assertNever(format);
  }
}
