/**
 * Estimating the affine transform between two frames of a focus stack from
 * their thumbnails: phase correlation at a small size for the shift, then
 * OpenCV's ECC (`findTransformECC`, MOTION_AFFINE) at two larger sizes, each
 * started from the previous result; a result is accepted only when plausible.
 */
import { assertInteger, assertNumber, invalidParameter } from '../errors.js';
import { cvCall, OpenCVError } from '../cv/call.js';
import { matFromImage } from '../cv/convert.js';
import { cv } from '../cv/runtime.js';
import { MatScope } from '../cv/scope.js';
import { warpAffine } from '../kernels/warp.js';
import { affineParameters, assertAffine, composeAffine, IDENTITY_AFFINE, invertAffine, type Affine } from './affine.js';
import { phaseCorrelate } from './phase.js';
import { alignThumbnail, type Thumbnail } from './thumbnail.js';

/** How a transform was found. */
export const AlignMethod = {
  /** ECC with a full affine model, plausible. */
  AFFINE: 'affine',
  /** The fallback: the shift of phase correlation alone. */
  TRANSLATION: 'translation',
  /** The last resort: no transform at all. */
  IDENTITY: 'identity',
} as const;
/** How a transform was found: `'affine'`, `'translation'` or `'identity'`. */
export type AlignMethod = (typeof AlignMethod)[keyof typeof AlignMethod];

/** Options of {@link estimateTransform}. */
export interface EstimateTransformOptions {
  /**
   * Where ECC starts (full-resolution coordinates, reference to frame), e.g.
   * the previous neighbour pair's result when chaining. When ECC fails from
   * it, the shift of phase correlation is tried next.
   * @default the shift found by phase correlation
   */
  init?: Affine;
  /**
   * Longest side of the thumbnails phase correlation runs on.
   * @default 256
   */
  phaseSize?: number;
  /**
   * Longest sides of the thumbnails ECC runs on, coarse to fine (each capped
   * at the thumbnails' own size; repeated sizes run once).
   * @default [512, 1024]
   */
  eccSizes?: readonly number[];
  /**
   * Iterations of ECC at each size, at most.
   * @default 50
   */
  maxIterations?: number;
  /**
   * ECC stops when the correlation grows by less than this.
   * @default 1e-4
   */
  epsilon?: number;
  /**
   * ECC's Gaussian pre-filter (`gaussFiltSize`), odd.
   * @default 5
   */
  gaussFiltSize?: number;
  /**
   * Lowest ECC correlation of a plausible result.
   * @default 0.9
   */
  minCorrelation?: number;
  /**
   * Largest change of scale along any axis of a plausible result (0.1: scale 0.9 to 1.1).
   * @default 0.1
   */
  maxScaleChange?: number;
  /**
   * Largest rotation of a plausible result, in degrees.
   * @default 5
   */
  maxRotation?: number;
  /**
   * Lowest correlation of the thumbnails at phase-correlation size, once the
   * starting transform is applied, for ECC to be tried at all (below it, the
   * frames are taken as unrelated: ECC would not converge), and for the
   * translation fallback to be accepted.
   * @default 0.5
   */
  minStartCorrelation?: number;
  /**
   * The frame's name, for the warning.
   * @default 'frame'
   */
  name?: string;
}

/** What {@link estimateTransform} finds. */
export interface Estimate {
  /** Maps the reference's full-resolution pixel grid to the frame's (see `Affine`). */
  matrix: Affine;
  /**
   * How well the frame matches the reference once transformed: ECC's
   * correlation coefficient at the finest size for `'affine'`, the zero-mean
   * normalised correlation of the phase-size thumbnails otherwise.
   */
  correlation: number;
  /** How the matrix was found. */
  method: AlignMethod;
  /** Why the result fell back to a translation or the identity, naming the frame. */
  warning?: string;
}

/**
 * Estimate the affine transform that maps the reference's pixel grid onto a
 * frame: `frame(M(x)) ≈ reference(x)`, in full-resolution coordinates.
 *
 * Steps: phase correlation of `phaseSize` thumbnails gives a shift; from
 * `init` (if given) or that shift, ECC with MOTION_AFFINE runs on each of
 * `eccSizes`, the matrix converted between the sizes' coordinates. The result
 * is accepted when ECC's correlation is at least `minCorrelation`, every
 * scale within `1 ± maxScaleChange` and the rotation under `maxRotation`.
 * Otherwise it falls back to the shift alone (if the shifted thumbnails
 * correlate at least `minStartCorrelation`), else to the identity, with a
 * warning naming the frame. ECC is never started from a transform whose
 * thumbnails correlate less than `minStartCorrelation` (it would fail inside
 * OpenCV.js); should it fail all the same, that start is dropped and the
 * failure named in the warning.
 *
 * To chain a stack from its middle frame r: estimate r+1 against r (giving
 * M₁, which maps r to r+1), then r+2 against r+1 with `init: M₁` (the
 * step between neighbours changes little), giving R; r+2's matrix relative
 * to r is `composeAffine(R, M₁)`.
 *
 * Requires OpenCV.js to be loaded; only thumbnails enter the heap, every Mat is deleted.
 *
 * @param reference - The reference's thumbnail ({@link alignThumbnail}; 1024 px for the defaults).
 * @param frame - The frame's thumbnail, made the same way from a frame of the same size.
 * @param options - See {@link EstimateTransformOptions}.
 * @returns The matrix, its correlation, the method and any warning.
 * @throws TypeError or RangeError for bad thumbnails or options (before any OpenCV.js call).
 */
export function estimateTransform(reference: Thumbnail, frame: Thumbnail, options: EstimateTransformOptions = {}): Estimate {
  const {
    init,
    phaseSize = 256,
    eccSizes = [512, 1024],
    maxIterations = 50,
    epsilon = 1e-4,
    gaussFiltSize = 5,
    minCorrelation = 0.9,
    maxScaleChange = 0.1,
    maxRotation = 5,
    minStartCorrelation = 0.5,
    name = 'frame',
  } = options;
  assertThumbnail('reference', reference);
  assertThumbnail('frame', frame);
  if (frame.width !== reference.width || frame.height !== reference.height || frame.fullWidth !== reference.fullWidth || frame.fullHeight !== reference.fullHeight) {
    throw invalidParameter(
      'frame',
      `a thumbnail of the reference's sizes (${reference.width}x${reference.height} of ${reference.fullWidth}x${reference.fullHeight})`,
      `${frame.width}x${frame.height} of ${frame.fullWidth}x${frame.fullHeight}`,
      'type',
    );
  }
  if (init !== undefined) assertAffine('init', init);
  assertInteger('phaseSize', phaseSize, 8);
  if (!Array.isArray(eccSizes)) throw invalidParameter('eccSizes', 'an array of integers of at least 8', eccSizes, 'type');
  eccSizes.forEach((s, i) => assertInteger(`eccSizes[${i}]`, s, 8));
  assertInteger('maxIterations', maxIterations, 1);
  assertNumber('epsilon', epsilon, 0);
  if (!(gaussFiltSize === 0 || (Number.isInteger(gaussFiltSize) && gaussFiltSize % 2 === 1 && gaussFiltSize >= 1 && gaussFiltSize <= 31))) {
    throw invalidParameter('gaussFiltSize', '0 or an odd integer from 1 to 31', gaussFiltSize);
  }
  assertNumber('minCorrelation', minCorrelation, -1, 1);
  assertNumber('maxScaleChange', maxScaleChange, 0, 1);
  assertNumber('maxRotation', maxRotation, 0, 180);
  assertNumber('minStartCorrelation', minStartCorrelation, -1, 1);
  if (typeof name !== 'string') throw invalidParameter('name', 'a string', name, 'type');

  const longest = Math.max(reference.width, reference.height);
  const level = (size: number): [Thumbnail, Thumbnail] =>
    size >= longest ? [reference, frame] : [alignThumbnail(reference, size), alignThumbnail(frame, size)];
  const [phaseRef, phaseFrame] = level(phaseSize);
  const { shift } = phaseCorrelate(phaseRef, phaseFrame);
  const translation = toFull([[1, 0, shift[0]], [0, 1, shift[1]]], phaseRef);
  const levels = [...new Set(eccSizes.map((s) => Math.min(s, longest)))].map(level);

  const problems: string[] = [];
  const starts: [string, Affine][] = init ? [['the given start', init], ['the phase-correlation shift', translation]] : [['the phase-correlation shift', translation]];
  for (const [label, start] of starts) {
    const startCorrelation = correlationAt(phaseRef, phaseFrame, start);
    if (!(startCorrelation >= minStartCorrelation)) {
      problems.push(`from ${label}, the thumbnails correlate ${startCorrelation.toFixed(3)} (< ${minStartCorrelation}): ECC not tried`);
      continue;
    }
    let matrix = start;
    let correlation = NaN;
    try {
      for (const [ref, frm] of levels) {
        [matrix, correlation] = ecc(ref, frm, matrix, maxIterations, epsilon, gaussFiltSize);
      }
    } catch (error) {
      if (!(error instanceof OpenCVError)) throw error;
      problems.push(`from ${label}, ECC failed (${error.message})`);
      continue;
    }
    const { scaleRange, rotation } = affineParameters(matrix);
    const bad: string[] = [];
    if (!(correlation >= minCorrelation)) bad.push(`correlation ${correlation.toFixed(3)} < ${minCorrelation}`);
    if (!(scaleRange[0] >= 1 - maxScaleChange && scaleRange[1] <= 1 + maxScaleChange)) {
      bad.push(`scale ${scaleRange[0].toFixed(3)}..${scaleRange[1].toFixed(3)} outside ${1 - maxScaleChange}..${1 + maxScaleChange}`);
    }
    if (!(Math.abs(rotation) < maxRotation)) bad.push(`rotation ${rotation.toFixed(2)}° beyond ${maxRotation}°`);
    if (bad.length === 0) return { matrix, correlation, method: AlignMethod.AFFINE };
    problems.push(`from ${label}, ECC gave an implausible result (${bad.join(', ')})`);
  }
  const translationCorrelation = correlationAt(phaseRef, phaseFrame, translation);
  if (translationCorrelation >= minStartCorrelation) {
    const [dx, dy] = translation.map((row) => row[2]);
    return {
      matrix: translation,
      correlation: translationCorrelation,
      method: AlignMethod.TRANSLATION,
      warning: `${name}: affine alignment failed (${problems.join('; ')}); aligned by translation only (${dx.toFixed(1)}, ${dy.toFixed(1)}) px`,
    };
  }
  return {
    matrix: IDENTITY_AFFINE,
    correlation: correlationAt(phaseRef, phaseFrame, IDENTITY_AFFINE),
    method: AlignMethod.IDENTITY,
    warning: `${name}: alignment failed (${problems.join('; ')}; the shifted thumbnails correlate ${translationCorrelation.toFixed(3)}); not aligned`,
  };
}

/** Check a thumbnail's shape (not its data's values). */
function assertThumbnail(name: string, t: Thumbnail): void {
  const ok =
    typeof t === 'object' && t !== null && t.channels === 1 && t.data instanceof Float32Array &&
    Number.isInteger(t.width) && t.width >= 8 && Number.isInteger(t.height) && t.height >= 8 && t.data.length === t.width * t.height &&
    Number.isInteger(t.fullWidth) && t.fullWidth >= t.width && Number.isInteger(t.fullHeight) && t.fullHeight >= t.height;
  if (!ok) throw invalidParameter(name, 'a thumbnail of at least 8x8 made by alignThumbnail', t, 'type');
}

/** Thumbnail pixel to full-resolution point: `x = sx * (u + 0.5) - 0.5`. */
function thumbToFull(t: Thumbnail): Affine {
  const sx = t.fullWidth / t.width, sy = t.fullHeight / t.height;
  return [[sx, 0, (sx - 1) / 2], [0, sy, (sy - 1) / 2]];
}

/** A matrix in thumbnail coordinates, converted to full-resolution coordinates. */
function toFull(m: Affine, t: Thumbnail): Affine {
  const a = thumbToFull(t);
  return composeAffine(a, composeAffine(m, invertAffine(a)));
}

/** A matrix in full-resolution coordinates, converted to thumbnail coordinates. */
function toThumb(m: Affine, t: Thumbnail): Affine {
  const a = thumbToFull(t);
  return composeAffine(invertAffine(a), composeAffine(m, a));
}

/**
 * Zero-mean normalised correlation of the reference and the frame warped by
 * `m` (full-resolution coordinates), over the pixels the frame covers; -1
 * when it covers fewer than a quarter of them.
 */
function correlationAt(ref: Thumbnail, frame: Thumbnail, m: Affine): number {
  const n = ref.width * ref.height;
  const warped = { width: ref.width, height: ref.height, channels: 1, data: new Float32Array(n) };
  const coverage = new Uint8Array(n);
  warpAffine(frame, toThumb(m, ref), [1], [0], warped, coverage);
  let count = 0, sa = 0, sb = 0;
  for (let i = 0; i < n; i++) {
    if (!coverage[i]) continue;
    count++;
    sa += ref.data[i];
    sb += warped.data[i];
  }
  if (count < n / 4) return -1;
  const ma = sa / count, mb = sb / count;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) {
    if (!coverage[i]) continue;
    const u = ref.data[i] - ma, v = warped.data[i] - mb;
    ab += u * v;
    aa += u * u;
    bb += v * v;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** One run of ECC on one pair of thumbnails, from `m` (full-resolution coordinates); the refined matrix and the correlation. */
function ecc(ref: Thumbnail, frame: Thumbnail, m: Affine, maxIterations: number, epsilon: number, gaussFiltSize: number): [Affine, number] {
  const c = cv();
  using scope = new MatScope();
  const template = scope.track(matFromImage(ref));
  const input = scope.track(matFromImage(frame));
  const warp = scope.mat(2, 3, c.CV_32FC1);
  const [[a, b, tx], [d, e, ty]] = toThumb(m, ref);
  warp.data32F.set([a, b, tx, d, e, ty]);
  const mask = scope.mat();
  const criteria = new c.TermCriteria(c.TermCriteria_COUNT + c.TermCriteria_EPS, maxIterations, epsilon);
  const rho = cvCall('findTransformECC', () => c.findTransformECC(template, input, warp, c.MOTION_AFFINE, criteria, mask, gaussFiltSize));
  const w = warp.data32F;
  return [toFull([[w[0], w[1], w[2]], [w[3], w[4], w[5]]], ref), rho];
}
