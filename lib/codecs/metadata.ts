/**
 * The metadata an image carries from file to file ({@link ImageMetadata}: the
 * ICC profile and the EXIF block), read from and written into the bytes of
 * JPEG and PNG files directly, so that both codecs do the same thing and
 * neither needs a temporary file (sharp takes an ICC profile only as a file
 * path, and EXIF only as tag strings).
 *
 * - JPEG: EXIF in an APP1 segment (`Exif\0\0` then the TIFF structure), the ICC
 *   profile in APP2 segments (`ICC_PROFILE\0`, sequence number, count, a piece
 *   of the profile: a profile above 64 KB is split across several).
 * - PNG: the ICC profile in an `iCCP` chunk (zlib-compressed), EXIF in an `eXIf` chunk.
 * - TIFF and BMP: nothing is read or written here (the sharp codec reads a TIFF's
 *   ICC profile and EXIF through libvips; no codec writes them to TIFF or BMP).
 *
 * Host-free (no `node:` module): zlib goes through the web streams
 * `CompressionStream` and `DecompressionStream`, present in Node 18+ and browsers.
 */
import type { ImageMetadata } from '../image.js';
import { Format } from './codec.js';

/** The prefix of the EXIF APP1 segment of a JPEG file (and of sharp's `metadata().exif`). */
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
/** The prefix of an ICC APP2 segment of a JPEG file: "ICC_PROFILE\0". */
const ICC_ID = [0x49, 0x43, 0x43, 0x5f, 0x50, 0x52, 0x4f, 0x46, 0x49, 0x4c, 0x45, 0];
/** The EXIF tag of the orientation. */
const ORIENTATION_TAG = 0x0112;
/** The largest payload of a JPEG segment (its length field counts itself). */
const MAX_SEGMENT = 65533;
/** The largest piece of an ICC profile in one APP2 segment: the segment less the identifier, sequence number and count. */
const ICC_CHUNK = MAX_SEGMENT - ICC_ID.length - 2;
/** The largest ICC profile kept when reading (a JPEG holds at most 255 pieces): a guard against zlib bombs in PNG. */
export const MAX_ICC_BYTES = 255 * ICC_CHUNK;

/**
 * Read the metadata of a JPEG or PNG file from its bytes (other formats give
 * none). The EXIF orientation is reset to 1 ({@link normaliseExif}). Never throws:
 * a malformed segment or chunk is skipped.
 *
 * @param bytes - The file's contents.
 * @param format - Its format.
 * @returns The metadata found: new arrays the caller owns; `undefined` when there is none.
 */
export async function readMetadata(bytes: Uint8Array, format: Format): Promise<ImageMetadata | undefined> {
  const raw = format === Format.JPG ? readJpegMetadata(bytes) : format === Format.PNG ? await readPngMetadata(bytes) : {};
  return metadataOf(raw.icc, raw.exif);
}

/**
 * Build an {@link ImageMetadata} from a raw ICC profile and raw EXIF (with or
 * without the `Exif\0\0` prefix), normalising the EXIF with {@link normaliseExif}.
 *
 * @param icc - The ICC profile, if any (copied).
 * @param exif - The EXIF block, if any (copied).
 * @returns The metadata, or `undefined` when neither is there (or the EXIF is not a TIFF structure and there is no ICC).
 */
export function metadataOf(icc: Uint8Array | undefined, exif: Uint8Array | undefined): ImageMetadata | undefined {
  const metadata: { icc?: Uint8Array; exif?: Uint8Array } = {};
  if (icc !== undefined && icc.length > 0) metadata.icc = new Uint8Array(icc);
  const tiff = exif === undefined ? undefined : normaliseExif(exif);
  if (tiff !== undefined) metadata.exif = tiff;
  return metadata.icc || metadata.exif ? metadata : undefined;
}

/**
 * Copy an EXIF block as the TIFF structure alone (without the `Exif\0\0` prefix
 * that JPEG files and sharp's `metadata().exif` put before it) and with the
 * orientation tag (0x0112) of IFD0 set to 1: the pixels it goes with are already
 * rotated, and a viewer must not rotate them again.
 *
 * @param exif - Raw EXIF, with or without the prefix.
 * @returns A new array; `undefined` when it is not a TIFF structure (no `II*\0` or `MM\0*` header, IFD0 outside it).
 */
export function normaliseExif(exif: Uint8Array): Uint8Array | undefined {
  const tiff = new Uint8Array(startsWith(exif, 0, EXIF_ID) ? exif.subarray(EXIF_ID.length) : exif);
  if (tiff.length < 8) return undefined;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const view = new DataView(tiff.buffer);
  if (view.getUint16(2, little) !== 42) return undefined;
  const ifd = view.getUint32(4, little);
  if (ifd < 8 || ifd + 2 > tiff.length) return undefined;
  const count = view.getUint16(ifd, little);
  for (let k = 0, entry = ifd + 2; k < count && entry + 12 <= tiff.length; k++, entry += 12) {
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    // SHORT as the standard says; LONG from some writers. The value sits in the entry.
    const type = view.getUint16(entry + 2, little);
    if (type === 3) view.setUint16(entry + 8, 1, little);
    else if (type === 4) view.setUint32(entry + 8, 1, little);
  }
  return tiff;
}

/** The raw EXIF (with its prefix) and ICC profile (pieces joined) of a JPEG file's APP1 and APP2 segments, up to its first scan. */
function readJpegMetadata(bytes: Uint8Array): { icc?: Uint8Array; exif?: Uint8Array } {
  let exif: Uint8Array | undefined;
  const pieces: { seq: number; count: number; data: Uint8Array }[] = [];
  let o = 2;
  while (o + 4 <= bytes.length && bytes[o] === 0xff) {
    const marker = bytes[o + 1];
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // start of scan, end of image
    const length = (bytes[o + 2] << 8) | bytes[o + 3];
    if (length < 2 || o + 2 + length > bytes.length) break;
    const body = bytes.subarray(o + 4, o + 2 + length);
    if (marker === 0xe1 && exif === undefined && startsWith(body, 0, EXIF_ID)) exif = body;
    if (marker === 0xe2 && body.length > ICC_ID.length + 2 && startsWith(body, 0, ICC_ID)) {
      pieces.push({ seq: body[ICC_ID.length], count: body[ICC_ID.length + 1], data: body.subarray(ICC_ID.length + 2) });
    }
    o += 2 + length;
  }
  return { ...(exif ? { exif } : {}), ...joinIcc(pieces) };
}

/** Join the pieces of an ICC profile: sequence numbers 1 to count, each once, in any order; otherwise none. */
function joinIcc(pieces: { seq: number; count: number; data: Uint8Array }[]): { icc?: Uint8Array } {
  if (pieces.length === 0) return {};
  pieces.sort((a, b) => a.seq - b.seq);
  if (!pieces.every((p, i) => p.seq === i + 1 && p.count === pieces.length)) return {};
  return { icc: concat(pieces.map((p) => p.data)) };
}

/** The ICC profile (inflated) and raw EXIF of a PNG file's first iCCP and eXIf chunks. */
async function readPngMetadata(bytes: Uint8Array): Promise<{ icc?: Uint8Array; exif?: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let compressed: Uint8Array | undefined;
  let exif: Uint8Array | undefined;
  for (let o = 8; o + 12 <= bytes.length; ) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7]);
    if (type === 'IEND' || o + 12 + length > bytes.length) break;
    const body = bytes.subarray(o + 8, o + 8 + length);
    if (type === 'iCCP' && compressed === undefined) {
      // Profile name (1 to 79 bytes), a null, the compression method (0: zlib), the data.
      const nul = body.subarray(0, 81).indexOf(0);
      if (nul >= 1 && body[nul + 1] === 0) compressed = body.subarray(nul + 2);
    }
    if (type === 'eXIf' && exif === undefined) exif = body;
    o += 12 + length;
  }
  const icc = compressed === undefined ? undefined : await zlib(compressed, 'inflate');
  return { ...(icc ? { icc } : {}), ...(exif ? { exif } : {}) };
}

/**
 * Write metadata into the bytes of an encoded JPEG or PNG file (the encoders
 * write none): for JPEG an APP1 EXIF segment and APP2 ICC segments after SOI
 * (and after the JFIF APP0 segment when there is one); for PNG an iCCP chunk
 * and an eXIf chunk after IHDR. TIFF and BMP files are returned as they are.
 * The EXIF goes through {@link normaliseExif} (orientation 1, since the pixels are
 * written as they are; dropped when it is not a TIFF structure).
 * In JPEG, EXIF above 65527 bytes and ICC profiles above 255 segments do not
 * fit and are left out.
 *
 * @param bytes - An encoded file, as the codec wrote it (no ICC or EXIF in it).
 * @param format - Its format.
 * @param metadata - What to write; nothing to do when undefined.
 * @returns The file with the metadata (a new array), or `bytes` when nothing was written.
 * @throws Nothing for well-formed input.
 */
export async function embedMetadata(bytes: Uint8Array, format: Format, metadata: ImageMetadata | undefined): Promise<Uint8Array> {
  const { icc, exif } = metadata ?? {};
  if ((!icc || icc.length === 0) && (!exif || exif.length === 0)) return bytes;
  if (format === Format.JPG) return embedJpeg(bytes, icc, exif);
  if (format === Format.PNG) return embedPng(bytes, icc, exif);
  return bytes;
}

function embedJpeg(bytes: Uint8Array, icc: Uint8Array | undefined, exif: Uint8Array | undefined): Uint8Array {
  const segments: Uint8Array[] = [];
  const tiff = exif && normaliseExif(exif);
  if (tiff && tiff.length + EXIF_ID.length <= MAX_SEGMENT) segments.push(segment(0xe1, [Uint8Array.from(EXIF_ID), tiff]));
  const count = icc ? Math.ceil(icc.length / ICC_CHUNK) : 0;
  if (icc && count >= 1 && count <= 255) {
    for (let i = 0; i < count; i++) {
      segments.push(segment(0xe2, [Uint8Array.from(ICC_ID), Uint8Array.of(i + 1, count), icc.subarray(i * ICC_CHUNK, (i + 1) * ICC_CHUNK)]));
    }
  }
  if (segments.length === 0) return bytes;
  // After SOI, and after a JFIF APP0 segment (which must come first) when there is one.
  let at = 2;
  if (bytes[2] === 0xff && bytes[3] === 0xe0) at += 2 + ((bytes[4] << 8) | bytes[5]);
  return concat([bytes.subarray(0, at), ...segments, bytes.subarray(at)]);
}

/** A JPEG segment: marker, length (counting itself), payload. */
function segment(marker: number, parts: Uint8Array[]): Uint8Array {
  const payload = concat(parts);
  return concat([Uint8Array.of(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload]);
}

async function embedPng(bytes: Uint8Array, icc: Uint8Array | undefined, exif: Uint8Array | undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  if (icc && icc.length > 0) {
    const compressed = await zlib(icc, 'deflate');
    // Profile name "icc", null, compression method 0 (zlib).
    if (compressed) chunks.push(chunk('iCCP', concat([Uint8Array.of(0x69, 0x63, 0x63, 0, 0), compressed])));
  }
  const tiff = exif && normaliseExif(exif);
  if (tiff) chunks.push(chunk('eXIf', tiff));
  if (chunks.length === 0) return bytes;
  const ihdrEnd = 8 + 12 + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8);
  return concat([bytes.subarray(0, ihdrEnd), ...chunks, bytes.subarray(ihdrEnd)]);
}

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * zlib-compress or inflate through the web streams, inflating at most {@link MAX_ICC_BYTES}.
 *
 * @returns The result; `undefined` when the data is not valid zlib or inflates to more than the limit.
 */
async function zlib(data: Uint8Array, direction: 'deflate' | 'inflate'): Promise<Uint8Array | undefined> {
  const stream = direction === 'deflate' ? new CompressionStream('deflate') : new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // Errors of the writing side show on the reading side too.
  writer
    .write(new Uint8Array(data))
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (direction === 'inflate' && total > MAX_ICC_BYTES) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      parts.push(value);
    }
  } catch {
    return undefined;
  }
  return concat(parts);
}

function startsWith(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
