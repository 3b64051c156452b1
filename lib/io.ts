/**
 * Image files on disk (Node only): {@link loadImage} and {@link saveImage}.
 *
 * Every failure is an {@link ImageFileError}: one line naming the file and
 * the problem, with a stable `code`. Writes are atomic: the image is encoded
 * in memory, written to a temporary file next to the target and renamed over
 * it, so the target is either the old file or the complete new one. A
 * signal handler removes the temporary files of writes in progress with
 * {@link removeTemporaryFiles}.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { AtomicWriteError, writeAllAtomically, writeAtomically } from './atomic.js';
import { errnoProblem } from './errno.js';
import { EXTENSION_LIST, FORMAT_NAMES, formatOfPath } from './formats.js';
import { assertInteger, assertKnownKeys, assertOneOf, invalidParameter, optionKeys } from './errors.js';
import { assertImage, type Image } from './image.js';
import { CodecName, CorruptImageError, DEFAULT_MAX_PIXELS, DEFAULT_QUALITY, Format, getCodec, ImageTooLargeError, sniffChannels, sniffFormat } from './codecs/index.js';

/** Codes of {@link ImageFileError}. */
export const ImageFileErrorCode = {
  /** Reading: the file does not exist. */
  ENOENT: 'ENOENT',
  /** Reading: the path is a directory. */
  EISDIR: 'EISDIR',
  /** Reading: the file is empty. */
  EEMPTY: 'EEMPTY',
  /** Reading: not a JPEG, PNG, TIFF or BMP file; writing: no such extension. */
  EFORMAT: 'EFORMAT',
  /** Reading: a recognised format that does not decode (truncated or corrupt). */
  EDECODE: 'EDECODE',
  /** Reading: the header declares more pixels than `maxPixels`; nothing was decoded. */
  ETOOLARGE: 'ETOOLARGE',
  /** Reading: any other failure of the file system (permission denied...). */
  EREAD: 'EREAD',
  /** Writing: any failure (encoding, file system); nothing was written. */
  EWRITE: 'EWRITE',
} as const;
export type ImageFileErrorCode = (typeof ImageFileErrorCode)[keyof typeof ImageFileErrorCode];

/** A failure to read or write an image file. */
export class ImageFileError extends Error {
  /** What went wrong, for programs. */
  readonly code: ImageFileErrorCode;
  /** The file, as given. */
  readonly path: string;

  /**
   * @param action - `'read'` or `'write'`.
   * @param path - The file, as given.
   * @param problem - What went wrong, for people.
   * @param code - What went wrong, for programs.
   * @param cause - The underlying error, if any.
   */
  constructor(action: 'read' | 'write', path: string, problem: string, code: ImageFileErrorCode, cause?: unknown) {
    super(`Cannot ${action} image "${path}": ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'ImageFileError';
    this.code = code;
    this.path = path;
  }
}

/** Options of {@link loadImage}. */
export interface LoadImageOptions {
  /**
   * The codec; see `getCodec`.
   * @default sharp when it loads, else jimp
   */
  codec?: CodecName;
  /**
   * Refuse an image whose header declares more pixels (width times height) than
   * this, before decoding it (ImageFileError code ETOOLARGE): a small hostile file
   * can declare a size that takes gigabytes to decode. An integer of at least 1.
   * @default 100_000_000 (100 megapixels)
   */
  maxPixels?: number;
  /**
   * Called with a one-line message when the file loses something in reading: a
   * 16-bit PNG or TIFF read by the jimp codec, which decodes it to 8 bits.
   * The library never prints; without it, warnings are dropped.
   * @default undefined
   */
  onWarning?: (message: string) => void;
}

/** Options of {@link saveImage}. */
export interface SaveImageOptions {
  /**
   * The codec; see `getCodec`.
   * @default sharp when it loads, else jimp
   */
  codec?: CodecName;
  /**
   * The file format.
   * @default from the extension: .jpg/.jpeg, .png, .tif/.tiff, .bmp
   */
  format?: Format;
  /**
   * JPEG quality, an integer from 1 to 100.
   * @default 95
   */
  quality?: number;
}

/** A codec failed to encode an image ({@link encodeImage}). */
export class EncodeError extends Error {
  /** `'EncodeError'`. */
  override name = 'EncodeError';
}

/** An image encoded in memory by {@link encodeImage}, ready for {@link saveImage}. */
export interface EncodedImage {
  /** The file format of `bytes`. */
  readonly format: Format;
  /** The file's contents. */
  readonly bytes: Uint8Array;
}

/**
 * Read and decode an image file (EXIF orientation applied; grayscale files
 * give 1 channel; 16-bit files give 16-bit samples with sharp, 8-bit ones with
 * jimp, which `onWarning` is told). The ICC profile and EXIF of JPEG and PNG files
 * (and TIFF files with sharp) are kept in `image.metadata`, EXIF orientation
 * reset to 1, for {@link saveImage} to write back. The size is
 * read from the header and the file's structure checked before decoding: a
 * file above `maxPixels`, or whose header and data disagree, is refused at once.
 *
 * **Colour images are RGB, not BGR as `cv2.imread` gives them**: for cv2
 * code, make the Mat with `matFromImage(image, { order: 'bgr' })`.
 *
 * @param path - The file.
 * @param options - See {@link LoadImageOptions}.
 * @returns The image.
 * @throws TypeError or RangeError for a bad argument; ImageFileError (`code` ENOENT, EISDIR,
 *   EEMPTY, EFORMAT, EDECODE, ETOOLARGE or EREAD) when the file cannot be read; Error when
 *   the sharp codec is asked for and not available.
 */
export async function loadImage(path: string, options: LoadImageOptions = {}): Promise<Image> {
  assertKnownKeys('loadImage', options, optionKeys<LoadImageOptions>({ codec: 1, maxPixels: 1, onWarning: 1 }));
  assertPath(path);
  const { codec: name, maxPixels = DEFAULT_MAX_PIXELS, onWarning } = options;
  if (name !== undefined) assertOneOf('codec', name, Object.values(CodecName));
  assertInteger('maxPixels', maxPixels, 1, Number.MAX_SAFE_INTEGER);
  if (onWarning !== undefined && typeof onWarning !== 'function') throw invalidParameter('onWarning', 'a function (message) => void', onWarning, 'type');
  const codec = await getCodec(name);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ImageFileError('read', path, 'no such file', 'ENOENT', error);
    if (code === 'EISDIR') throw new ImageFileError('read', path, 'is a directory', 'EISDIR', error);
    throw new ImageFileError('read', path, systemProblem(error), 'EREAD', error);
  }
  if (bytes.length === 0) throw new ImageFileError('read', path, 'empty file', 'EEMPTY');
  const format = sniffFormat(bytes);
  if (format === undefined) throw new ImageFileError('read', path, 'not an image (unrecognised format)', 'EFORMAT');
  let image: Image;
  try {
    image = await codec.decode(bytes, { maxPixels });
  } catch (error) {
    if (error instanceof ImageTooLargeError) throw new ImageFileError('read', path, `${error.message} (--max-pixels / maxPixels)`, 'ETOOLARGE', error);
    const detail = error instanceof CorruptImageError ? ` (${error.problem})` : '';
    throw new ImageFileError('read', path, `truncated or corrupt ${FORMAT_NAMES[format]} data${detail}`, 'EDECODE', error);
  }
  if (codec.name === CodecName.JIMP && sniffChannels(bytes)?.depth === 16) {
    onWarning?.(`"${path}" is 16-bit; the jimp codec reads it as 8-bit (use the sharp codec to keep 16 bits)`);
  }
  return image;
}

/**
 * Encode an image in memory, to write later with {@link saveImage} (so that
 * encoding can run while other work goes on, and files are only written
 * once everything has succeeded).
 *
 * @param image - 1 or 3 channels, 8 or 16 bits; its `metadata` (ICC profile, EXIF) is
 *   written into JPEG and PNG files, not TIFF or BMP.
 * @param options - `format` (required here), `codec`, `quality`.
 * @returns The encoded file.
 * @throws TypeError or RangeError for a bad argument; EncodeError ("cannot encode as
 *   JPEG: ...") when the codec fails; Error when the sharp codec is asked for and not available.
 */
export async function encodeImage(image: Image, options: SaveImageOptions & { format: Format }): Promise<EncodedImage> {
  assertKnownKeys('encodeImage', options, ['format', 'codec', 'quality']);
  assertImage('image', image);
  const { codec: name, format, quality = DEFAULT_QUALITY } = options;
  if (name !== undefined) assertOneOf('codec', name, Object.values(CodecName));
  assertOneOf('format', format, Object.values(Format));
  assertInteger('quality', quality, 1, 100);
  const codec = await getCodec(name);
  try {
    return { format, bytes: await codec.encode(image, format, { quality }) };
  } catch (error) {
    throw new EncodeError(`cannot encode as ${FORMAT_NAMES[format]}: ${firstLine(error)}`, { cause: error });
  }
}

/**
 * Encode an image (unless it is already an {@link EncodedImage}) and write it
 * atomically: nothing is written unless encoding succeeds, and the target is
 * replaced in one step (by a rename). The parent directory must exist.
 *
 * @param image - 1 or 3 channels, 8 or 16 bits (16 bits kept in PNG and TIFF by sharp),
 *   with `metadata` (ICC profile, EXIF) written into JPEG and PNG files; or an image encoded by {@link encodeImage} (then `options` are not used).
 * @param path - The file to write; an existing file is replaced.
 * @param options - See {@link SaveImageOptions}.
 * @returns When the complete file is in place.
 * @throws TypeError or RangeError for a bad argument; ImageFileError with code EFORMAT for an
 *   unknown extension and EWRITE for any other failure (target is a directory, missing or
 *   unwritable directory, encoding failure), after which no file and no temporary file is
 *   left; Error when the sharp codec is asked for and not available.
 */
export async function saveImage(image: Image | EncodedImage, path: string, options: SaveImageOptions = {}): Promise<void> {
  assertKnownKeys('saveImage', options, ['format', 'codec', 'quality']);
  assertPath(path);
  const encoded = isEncoded(image);
  if (!encoded) assertImage('image', image);
  const format = encoded ? image.format : (options.format ?? formatFromExtension(path));
  await checkTarget(path);
  let file: EncodedImage;
  try {
    file = encoded ? image : await encodeImage(image, { ...options, format });
  } catch (error) {
    if (!(error instanceof EncodeError)) throw error;
    throw new ImageFileError('write', path, error.message, 'EWRITE', error.cause);
  }
  try {
    await writeAtomically(path, file.bytes);
  } catch (error) {
    throw new ImageFileError('write', path, writeProblem(path, error), 'EWRITE', error);
  }
}

/** A file for {@link saveFiles}: an encoded image, or text. */
export interface FileToSave {
  /** Where to write it; an existing file is replaced. */
  path: string;
  /** An encoded image (`encodeImage`), or text (written as UTF-8). */
  contents: EncodedImage | string;
}

/**
 * Write several files all or nothing: a stack's result, its depth map and
 * its transforms. Each goes to a temporary file beside its target, and the
 * targets are replaced only once every temporary file is written, so a
 * failure while writing (no space, a folder removed meanwhile) leaves none of
 * them changed.
 *
 * @param files - The files, written and then renamed in this order.
 * @throws ImageFileError (code `EWRITE`) naming the file that failed (an image, or for text "Cannot write \"PATH\": ..."), once every temporary file is removed.
 */
export async function saveFiles(files: readonly FileToSave[]): Promise<void> {
  for (const { path, contents } of files) {
    assertPath(path);
    if (typeof contents !== 'string' && !isEncoded(contents)) throw invalidParameter('contents', 'an encoded image or a string', contents, 'type');
    await checkTarget(path);
  }
  try {
    await writeAllAtomically(files.map(({ path, contents }) => ({ path, bytes: typeof contents === 'string' ? contents : contents.bytes })));
  } catch (error) {
    if (!(error instanceof AtomicWriteError)) throw error;
    const problem = writeProblem(error.path, error.cause);
    const failed = new ImageFileError('write', error.path, problem, 'EWRITE', error.cause);
    // A text file is not an image: say "file".
    if (typeof files.find((f) => f.path === error.path)?.contents === 'string') failed.message = `Cannot write "${error.path}": ${problem}`;
    throw failed;
  }
}

export { removeTemporaryFiles } from './atomic.js';

function isEncoded(value: unknown): value is EncodedImage {
  return typeof value === 'object' && value !== null && (value as EncodedImage).bytes instanceof Uint8Array && typeof (value as EncodedImage).format === 'string';
}

function assertPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') throw invalidParameter('path', 'a non-empty string', path, 'type');
}

function formatFromExtension(path: string): Format {
  const format = formatOfPath(path);
  if (format !== undefined) return format;
  const ext = extname(path);
  const problem = ext === '' ? 'no file extension' : `unknown extension "${ext}"`;
  throw new ImageFileError('write', path, `${problem} (use ${EXTENSION_LIST.replace(/, (?=[^,]*$)/, ' or ')}, or give a format)`, 'EFORMAT');
}

/** Fail before encoding when the target cannot be written: it is a directory, its directory is missing or read-only. */
async function checkTarget(path: string): Promise<void> {
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw new ImageFileError('write', path, 'is a directory', 'EWRITE');
  const dir = dirname(path);
  const parent = await stat(dir).catch((error: unknown) => error as NodeJS.ErrnoException);
  if (parent instanceof Error) throw new ImageFileError('write', path, writeProblem(path, parent), 'EWRITE', parent);
  if (!parent.isDirectory()) throw new ImageFileError('write', path, `"${dir}" is not a directory`, 'EWRITE');
  await access(dir, constants.W_OK).catch((error: unknown) => {
    throw new ImageFileError('write', path, systemProblem(error), 'EWRITE', error);
  });
}

function writeProblem(path: string, error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `directory "${dirname(path)}" does not exist`;
    case 'EISDIR':
      return 'is a directory';
    default:
      return systemProblem(error);
  }
}

function systemProblem(error: unknown): string {
  return errnoProblem(error, firstLine);
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}
