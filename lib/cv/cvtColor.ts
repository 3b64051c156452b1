import { assertKnownKeys, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { channelOrderOf, forgetChannelOrder } from './order.js';
import { assertDepth, assertMat, constant, invalidReceived, typeName, type ConstantName, type Depth } from './validate.js';

/** Options of {@link cvtColor}. */
export interface CvtColorOptions {
  /**
   * The conversion (cv2's `code`), a `cv.COLOR_*` constant. Supported: between
   * GRAY, BGR, RGB, BGRA and RGBA, and BGR/RGB to and from YCrCb, HSV and Lab.
   */
  code: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const ANY: readonly Depth[] = ['CV_8U', 'CV_16U', 'CV_32F'];
const NOT_16U: readonly Depth[] = ['CV_8U', 'CV_32F'];

/** The supported conversions: source channels and depths. */
const CONVERSIONS: ReadonlyArray<readonly [ConstantName, number, readonly Depth[]]> = [
  ['COLOR_BGR2GRAY', 3, ANY], ['COLOR_RGB2GRAY', 3, ANY], ['COLOR_BGRA2GRAY', 4, ANY], ['COLOR_RGBA2GRAY', 4, ANY],
  ['COLOR_GRAY2BGR', 1, ANY], ['COLOR_GRAY2RGB', 1, ANY], ['COLOR_GRAY2BGRA', 1, ANY], ['COLOR_GRAY2RGBA', 1, ANY],
  ['COLOR_BGR2RGB', 3, ANY], ['COLOR_RGB2BGR', 3, ANY], ['COLOR_BGR2BGRA', 3, ANY], ['COLOR_RGB2RGBA', 3, ANY],
  ['COLOR_BGR2RGBA', 3, ANY], ['COLOR_RGB2BGRA', 3, ANY], ['COLOR_BGRA2BGR', 4, ANY], ['COLOR_RGBA2RGB', 4, ANY],
  ['COLOR_BGRA2RGB', 4, ANY], ['COLOR_RGBA2BGR', 4, ANY], ['COLOR_BGRA2RGBA', 4, ANY], ['COLOR_RGBA2BGRA', 4, ANY],
  ['COLOR_BGR2YCrCb', 3, ANY], ['COLOR_RGB2YCrCb', 3, ANY], ['COLOR_YCrCb2BGR', 3, ANY], ['COLOR_YCrCb2RGB', 3, ANY],
  ['COLOR_BGR2HSV', 3, NOT_16U], ['COLOR_RGB2HSV', 3, NOT_16U], ['COLOR_HSV2BGR', 3, NOT_16U], ['COLOR_HSV2RGB', 3, NOT_16U],
  ['COLOR_BGR2Lab', 3, NOT_16U], ['COLOR_RGB2Lab', 3, NOT_16U], ['COLOR_Lab2BGR', 3, NOT_16U], ['COLOR_Lab2RGB', 3, NOT_16U],
];

const KEYS = optionKeys<CvtColorOptions>({ code: 1, dst: 1 });

/**
 * Convert between colour spaces, as `cv2.cvtColor(src, code)`. CV_8U results
 * are rounded (gray = 0.299 R + 0.587 G + 0.114 B).
 *
 * Images of this library are RGB where cv2's are BGR. A Mat that
 * {@link matFromImage} made from an RGB image (its default) is refused by a
 * `COLOR_BGR*` code that reads colours (to GRAY, YCrCb, HSV or Lab) and
 * vice versa for `{ order: 'bgr' }`, with a TypeError naming both fixes;
 * other Mats carry no order and are taken as the code says.
 *
 * @param src - CV_8U, CV_16U or CV_32F (HSV and Lab: CV_8U or CV_32F), with
 *   the channel count the conversion reads.
 * @param options - See {@link CvtColorOptions}; `code` is required.
 * @returns The converted Mat (`options.dst` if given); caller deletes.
 * @throws RangeError for an unsupported `code`; TypeError for a `src` of the
 *   wrong channel count, depth or channel order, or an unknown option; OpenCVError if OpenCV fails.
 */
export function cvtColor(src: Mat, options: CvtColorOptions): Mat {
  assertKnownKeys('cvtColor', options, KEYS);
  const { code, dst } = options;
  assertMat('src', src);
  const conversion = CONVERSIONS.find(([name]) => constant(name) === code);
  if (!conversion) throw invalidParameter('code', `a supported cv.COLOR_* code (${CONVERSIONS.map(([name]) => name).join(', ')})`, code);
  const [name, channels, depths] = conversion;
  if (src.channels() !== channels) throw invalidParameter('src', `a ${channels}-channel Mat for ${name}`, typeName(src), 'type');
  assertDepth('src', src, depths);
  assertOrder(src, name);
  const c = cv();
  const out = callInto('cvtColor', dst, (into) => c.cvtColor(src, into, code));
  forgetChannelOrder(out);
  return out;
}

/**
 * Refuse a conversion that reads colours (to gray, YCrCb, HSV or Lab) in one
 * channel order from a Mat that {@link matFromImage} filled in the other.
 */
function assertOrder(src: Mat, name: ConstantName): void {
  const match = /^COLOR_(BGR|RGB)A?2(GRAY|YCrCb|HSV|Lab)$/.exec(name);
  const order = channelOrderOf(src);
  if (!match || order === undefined || match[1].toLowerCase() === order) return;
  const fixed = name.replace(match[1], order.toUpperCase());
  const fix = order === 'rgb' ? `use ${fixed}, or make the Mat with matFromImage(image, { order: 'bgr' }) for cv2's BGR order` : `use ${fixed}`;
  const article = (o: string) => (o === 'RGB' ? 'an RGB' : 'a BGR');
  throw invalidReceived('src', `${article(match[1])} Mat (${name} reads ${match[1]})`, `${article(order.toUpperCase())} Mat from matFromImage (${fix})`, src);
}
