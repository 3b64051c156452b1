/**
 * Moving pixels between JavaScript typed arrays and OpenCV.js Mats.
 *
 * Images are held outside the WebAssembly heap; a step copies in what it
 * needs, runs, copies out, and deletes its Mats at once.
 */
import type { FloatImage, Image } from '../image.js';
import { assertKnownKeys, assertOneOf, invalidParameter, optionKeys } from '../errors.js';
import { cv, type Mat } from './runtime.js';
import { newMat } from './scope.js';
import { ChannelOrder, setChannelOrder } from './order.js';

export { ChannelOrder, channelOrderOf } from './order.js';

function matType(depth: 'u8' | 'u16' | 'f32', channels: number): number {
  // By name: OpenCV 5 packs the channel count differently from OpenCV 4
  // (CV_CN_SHIFT 5, not 3), so CV_MAKETYPE arithmetic would be wrong.
  const name = `CV_${{ u8: '8U', u16: '16U', f32: '32F' }[depth]}C${channels}`;
  return (cv() as unknown as Record<string, number>)[name];
}

/** Options of {@link matFromImage}, {@link imageFromMat} and {@link floatImageFromMat}. */
export interface ConvertOptions {
  /**
   * The channel order of the Mat, for 3- and 4-channel images (images are
   * always RGB): `'bgr'` swaps red and blue on the way in and out, so that
   * a Mat is laid out as `cv2.imread` would have made it and cv2 code
   * (`COLOR_BGR2GRAY`, `split(m)[0]` is blue) ports unchanged.
   * @default 'rgb'
   */
  order?: ChannelOrder;
}

const KEYS = optionKeys<ConvertOptions>({ order: 1 });
const ORDERS = Object.values(ChannelOrder);

/** Swap the first and third sample of each pixel, in place. */
function swapRedBlue(data: { [i: number]: number; length: number }, channels: number): void {
  for (let i = 0; i < data.length; i += channels) {
    const red = data[i];
    data[i] = data[i + 2];
    data[i + 2] = red;
  }
}

/**
 * Copy an 8/16-bit {@link Image} or a {@link FloatImage} into a new Mat.
 *
 * **Colour images are RGB** (as {@link loadImage} returns them), where
 * `cv2.imread` gives BGR. The Mat is RGB too unless `options.order` is
 * `'bgr'`; {@link cvtColor} refuses a `COLOR_BGR*` code on an RGB Mat made
 * here (and the reverse), naming both fixes.
 *
 * @param image - The pixels to copy.
 * @param options - See {@link ConvertOptions}.
 * @returns A new Mat of type CV_8UC(n), CV_16UC(n) or CV_32FC(n); caller deletes.
 * @throws RangeError when the image has more than 4 channels; TypeError when
 *   its data does not hold `width * height * channels` samples, or for a bad option.
 */
export function matFromImage(image: Image | FloatImage, options: ConvertOptions = {}): Mat {
  const order = resolveOrder('matFromImage', options);
  const { width, height, channels, data } = image;
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw invalidParameter('channels', 'an integer from 1 to 4', channels);
  // Checked before the Mat exists, so that no error path leaves one behind.
  if (!(width >= 1 && height >= 1) || data.length !== width * height * channels) {
    throw invalidParameter('data', `${width * height * channels} samples (${width}x${height}x${channels})`, data, 'type');
  }
  const depth = data instanceof Float32Array ? 'f32' : data instanceof Uint16Array ? 'u16' : 'u8';
  const mat = newMat(height, width, matType(depth, channels));
  // Read the view after allocating: a heap growth detaches older views.
  const view = depth === 'f32' ? mat.data32F : depth === 'u16' ? mat.data16U : mat.data;
  view.set(data);
  if (channels >= 3) {
    if (order === ChannelOrder.BGR) swapRedBlue(view, channels);
    setChannelOrder(mat, order);
  }
  return mat;
}

/**
 * Copy a CV_32F Mat (any channel count) into a new {@link FloatImage}.
 *
 * @param mat - A continuous CV_32F Mat.
 * @param options - See {@link ConvertOptions}: `'bgr'` if the Mat is BGR,
 *   to get RGB samples back.
 * @returns The pixels, outside the WebAssembly heap.
 * @throws TypeError for another depth, or for a bad option.
 */
export function floatImageFromMat(mat: Mat, options: ConvertOptions = {}): FloatImage {
  const order = resolveOrder('floatImageFromMat', options);
  const c = cv();
  if (mat.depth() !== c.CV_32F) throw invalidParameter('mat', 'a CV_32F Mat', `depth ${mat.depth()}`, 'type');
  const data = mat.data32F.slice();
  if (order === ChannelOrder.BGR && mat.channels() >= 3) swapRedBlue(data, mat.channels());
  return { width: mat.cols, height: mat.rows, channels: mat.channels(), data };
}

function resolveOrder(where: string, options: ConvertOptions): ChannelOrder {
  assertKnownKeys(where, options, KEYS);
  return assertOneOf('order', options.order ?? ChannelOrder.RGB, ORDERS);
}

/**
 * Copy a CV_8U or CV_16U Mat with 1 or 3 channels into a new {@link Image}
 * (RGB, like every image of this library).
 *
 * @param mat - A continuous Mat.
 * @param options - See {@link ConvertOptions}: `'bgr'` if the Mat is BGR (as
 *   cv2 code makes them), to get an RGB image back.
 * @returns The pixels, outside the WebAssembly heap.
 * @throws TypeError for another depth or channel count, or for a bad option.
 */
export function imageFromMat(mat: Mat, options: ConvertOptions = {}): Image {
  const order = resolveOrder('imageFromMat', options);
  const c = cv();
  const channels = mat.channels();
  if (channels !== 1 && channels !== 3) throw invalidParameter('mat', 'a Mat with 1 or 3 channels', `${channels} channels`, 'type');
  const depth = mat.depth();
  if (depth !== c.CV_8U && depth !== c.CV_16U) throw invalidParameter('mat', 'a CV_8U or CV_16U Mat', `depth ${depth}`, 'type');
  const data = depth === c.CV_8U ? mat.data.slice() : mat.data16U.slice();
  if (order === ChannelOrder.BGR && channels === 3) swapRedBlue(data, 3);
  return { width: mat.cols, height: mat.rows, channels, data };
}
