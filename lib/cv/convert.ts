/**
 * Moving pixels between JavaScript typed arrays and OpenCV.js Mats.
 *
 * Images are held outside the WebAssembly heap; a step copies in what it
 * needs, runs, copies out, and deletes its Mats at once.
 */
import type { FloatImage, Image } from '../image.js';
import { invalidParameter } from '../errors.js';
import { cv, type Mat } from './runtime.js';
import { newMat } from './scope.js';

function matType(depth: 'u8' | 'u16' | 'f32', channels: number): number {
  // By name: OpenCV 5 packs the channel count differently from OpenCV 4
  // (CV_CN_SHIFT 5, not 3), so CV_MAKETYPE arithmetic would be wrong.
  const name = `CV_${{ u8: '8U', u16: '16U', f32: '32F' }[depth]}C${channels}`;
  return (cv() as unknown as Record<string, number>)[name];
}

/**
 * Copy an 8/16-bit {@link Image} or a {@link FloatImage} into a new Mat.
 *
 * @param image - The pixels to copy.
 * @returns A new Mat of type CV_8UC(n), CV_16UC(n) or CV_32FC(n); caller deletes.
 * @throws RangeError when the image has more than 4 channels; TypeError when
 *   its data does not hold `width * height * channels` samples.
 */
export function matFromImage(image: Image | FloatImage): Mat {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw invalidParameter('channels', 'an integer from 1 to 4', channels);
  // Checked before the Mat exists, so that no error path leaves one behind.
  if (!(width >= 1 && height >= 1) || data.length !== width * height * channels) {
    throw invalidParameter('data', `${width * height * channels} samples (${width}x${height}x${channels})`, data, 'type');
  }
  const depth = data instanceof Float32Array ? 'f32' : data instanceof Uint16Array ? 'u16' : 'u8';
  const mat = newMat(height, width, matType(depth, channels));
  // Read the view after allocating: a heap growth detaches older views.
  if (depth === 'f32') mat.data32F.set(data);
  else if (depth === 'u16') mat.data16U.set(data);
  else mat.data.set(data);
  return mat;
}

/**
 * Copy a CV_32F Mat (any channel count) into a new {@link FloatImage}.
 *
 * @param mat - A continuous CV_32F Mat.
 * @returns The pixels, outside the WebAssembly heap.
 * @throws TypeError for another depth.
 */
export function floatImageFromMat(mat: Mat): FloatImage {
  const c = cv();
  if (mat.depth() !== c.CV_32F) throw invalidParameter('mat', 'a CV_32F Mat', `depth ${mat.depth()}`, 'type');
  return { width: mat.cols, height: mat.rows, channels: mat.channels(), data: mat.data32F.slice() };
}

/**
 * Copy a CV_8U or CV_16U Mat with 1 or 3 channels into a new {@link Image}.
 *
 * @param mat - A continuous Mat.
 * @returns The pixels, outside the WebAssembly heap.
 * @throws TypeError for another depth or channel count.
 */
export function imageFromMat(mat: Mat): Image {
  const c = cv();
  const channels = mat.channels();
  if (channels !== 1 && channels !== 3) throw invalidParameter('mat', 'a Mat with 1 or 3 channels', `${channels} channels`, 'type');
  const depth = mat.depth();
  if (depth !== c.CV_8U && depth !== c.CV_16U) throw invalidParameter('mat', 'a CV_8U or CV_16U Mat', `depth ${depth}`, 'type');
  const data = depth === c.CV_8U ? mat.data.slice() : mat.data16U.slice();
  return { width: mat.cols, height: mat.rows, channels, data };
}
