/**
 * The sharp codec: libvips through the optional dependency `sharp`, loaded
 * with a dynamic import so that the package works without it.
 *
 * Decoding applies the EXIF orientation (`rotate()`; JPEG, and also PNG eXIf
 * and the TIFF Orientation tag, which the jimp codec ignores), does not convert pixels through
 * embedded ICC profiles (as `cv2.imread` does) but keeps the profile and the EXIF
 * block (orientation reset to 1) in `image.metadata`, from sharp's `metadata()` (a header
 * read, no second decoding), keeps 16-bit PNG and TIFF at 16 bits, and takes the
 * channel count from the file header ({@link sniffChannels}), as the jimp
 * codec does, so that both always agree on it. Encoding writes JPEG (4:2:0
 * chroma subsampling as OpenCV, no mozjpeg), PNG and TIFF (LZW) in 8 or 16 bits,
 * gray as gray, and writes `image.metadata` into JPEG and PNG files (`embedMetadata`:
 * sharp itself takes an ICC profile only as a file path). sharp's prebuilt libvips can neither read nor write BMP: BMP
 * goes through the jimp codec both ways.
 */
import type { Sharp } from 'sharp';
import { assertNever } from '../errors.js';
import type { Image } from '../image.js';
import { CodecName, Format, type Codec, type DecodeOptions, type EncodeOptions } from './codec.js';
import { jimpCodec } from './jimp.js';
import { embedMetadata, metadataOf } from './metadata.js';
import { checkDecodedSize, checkEncodeArgs, inspectFile, to8Bit } from './pixels.js';

type SharpModule = typeof import('sharp');

/**
 * Load the sharp codec.
 *
 * @param importSharp - How to import sharp; replaced by tests to simulate its absence.
 * @returns The codec, or `undefined` when sharp is not installed or does not load
 *   (no prebuilt binary for this platform, for example).
 * @throws Nothing: a failed import gives `undefined`.
 */
export async function loadSharpCodec(importSharp: () => Promise<unknown> = () => import('sharp')): Promise<Codec | undefined> {
  let sharp: SharpModule['default'];
  try {
    sharp = ((await importSharp()) as SharpModule).default;
    if (typeof sharp !== 'function') return undefined;
  } catch {
    return undefined;
  }
  return makeSharpCodec(sharp);
}

/** The libvips colour space that gives `channels` samples of `depth` bits. */
function colourspace(channels: 1 | 3, sixteen: boolean): string {
  if (channels === 1) return sixteen ? 'grey16' : 'b-w';
  return sixteen ? 'rgb16' : 'srgb';
}

function makeSharpCodec(sharp: SharpModule['default']): Codec {
  // Each image is decoded or encoded once: libvips's operation cache would
  // only hold on to memory (tens of MB per 12 MP frame).
  sharp.cache(false);
  return {
    name: CodecName.SHARP,

    async decode(bytes: Uint8Array, options: DecodeOptions = {}): Promise<Image> {
      const layout = inspectFile(bytes, options);
      const { format, channels, depth, maxPixels } = layout;
      if (format === Format.BMP) return jimpCodec.decode(bytes, options);
      const sixteen = depth === 16;
      // failOn 'error' rejects truncated data but, like libjpeg in cv2.imread,
      // accepts files with mere warnings (extraneous bytes before a marker).
      // The header was checked against maxPixels already; libvips checks again.
      const { icc, exif } = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).metadata();
      const metadata = metadataOf(icc, exif);
      const { data, info } = await sharp(bytes, { failOn: 'error', ignoreIcc: true, limitInputPixels: maxPixels })
        .rotate()
        .toColourspace(colourspace(channels, sixteen))
        .removeAlpha()
        .raw(sixteen ? { depth: 'ushort' } : {})
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== channels) throw new Error(`sharp decoded ${info.channels} channels where the file has ${channels}`);
      const { width, height } = info;
      checkDecodedSize(width, height, layout);
      const extra = metadata ? { metadata } : {};
      if (!sixteen) return { width, height, channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...extra };
      const aligned = data.byteOffset % 2 === 0 ? data : new Uint8Array(data);
      return { width, height, channels, data: new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2), ...extra };
    },

    async encode(image: Image, format: Format, options: EncodeOptions = {}): Promise<Uint8Array> {
      const quality = checkEncodeArgs(image, format, options);
      if (format === Format.BMP) return jimpCodec.encode(image, format, options);
      const { width, height, channels, data } = format === Format.JPG ? to8Bit(image) : image;
      const pipeline: Sharp = sharp(data, { raw: { width, height, channels } }).toColourspace(colourspace(channels, data instanceof Uint16Array));
      return embedMetadata(await encodeWith(pipeline, format, quality), format, image.metadata);
    },
  };
}

/** Encode with sharp (no metadata: sharp writes none unless asked). */
function encodeWith(pipeline: Sharp, format: Exclude<Format, 'bmp'>, quality: number): Promise<Uint8Array> {
  switch (format) {
    case Format.JPG:
      return pipeline.jpeg({ quality, mozjpeg: false, chromaSubsampling: '4:2:0' }).toBuffer();
    case Format.PNG:
      return pipeline.png({ compressionLevel: 6 }).toBuffer();
    case Format.TIF:
      // sharp's default TIFF compression is lossy JPEG; OpenCV writes LZW.
      return pipeline.tiff({ compression: 'lzw', predictor: 'horizontal' }).toBuffer();
    default:
      return assertNever(format);
  }
}
