/**
 * Argument checks shared by the `lib/cv` wrappers.
 *
 * OpenCV.js reports a bad argument by throwing from WebAssembly, which leaks
 * stack (after about ten such throws the module is unusable). So every
 * wrapper checks, with these helpers, what OpenCV would reject, before
 * calling it, and throws the `TypeError` / `RangeError` of
 * {@link invalidParameter} instead. The depth and border tables below were
 * measured on OpenCV.js 5.0.0.
 */
import { assertInteger, invalidParameter } from '../errors.js';
import { cv, type CV, type Mat } from './runtime.js';

/**
 * A size: `[width, height]` as cv2 takes it (`(width, height)`), or a
 * `cv.Size` / `{ width, height }` object as OpenCV.js takes it.
 */
export type Size =
  | readonly [width: number, height: number]
  | {
      /** Width in pixels. */
      readonly width: number;
      /** Height in pixels. */
      readonly height: number;
    };

/**
 * A point: `[x, y]` as cv2 takes it (`(x, y)`), or a `cv.Point` /
 * `{ x, y }` object as OpenCV.js takes it.
 */
export type Point =
  | readonly [x: number, y: number]
  | {
      /** Column. */
      readonly x: number;
      /** Row. */
      readonly y: number;
    };

/**
 * The name of an OpenCV.js constant (`BORDER_REFLECT_101`). INTER_NEAREST_EXACT
 * is missing from the typings of @techstark/opencv-js but present at run time.
 */
export type ConstantName = Extract<keyof CV, `${'CV' | 'BORDER' | 'INTER' | 'THRESH' | 'COLOR'}_${string}`> | 'INTER_NEAREST_EXACT';

/** A Mat depth, by the name of its constant. */
export type Depth = 'CV_8U' | 'CV_8S' | 'CV_16U' | 'CV_16S' | 'CV_32S' | 'CV_32F' | 'CV_64F';

/** Every depth OpenCV.js has (it has no CV_16F). */
export const DEPTHS: readonly Depth[] = ['CV_8U', 'CV_8S', 'CV_16U', 'CV_16S', 'CV_32S', 'CV_32F', 'CV_64F'];

/** The depths of OpenCV's image filters, pyramids and thresholds (not CV_8S, not CV_32S). */
export const IMAGE_DEPTHS: readonly Depth[] = ['CV_8U', 'CV_16U', 'CV_16S', 'CV_32F', 'CV_64F'];

/** For each supported source depth, the destination depths (`ddepth`) an operation accepts besides -1. */
export type DepthTable = Readonly<Partial<Record<Depth, readonly Depth[]>>>;

/** Depths of `filter2D`, and of `Laplacian` with ksize 1 or 3 (non-separable filters). */
export const LINEAR_FILTER_DEPTHS: DepthTable = {
  CV_8U: ['CV_8U', 'CV_16U', 'CV_16S', 'CV_32F', 'CV_64F'],
  CV_16U: ['CV_16U', 'CV_32F', 'CV_64F'],
  CV_16S: ['CV_16S', 'CV_32F', 'CV_64F'],
  CV_32F: ['CV_32F'],
  CV_64F: ['CV_64F'],
};

/** Border modes of the linear filters. BORDER_WRAP is not among them; each may be `| BORDER_ISOLATED`. */
export const FILTER_BORDERS: readonly ConstantName[] = ['BORDER_CONSTANT', 'BORDER_REPLICATE', 'BORDER_REFLECT', 'BORDER_REFLECT_101'];

/** The value of an OpenCV.js constant. */
export function constant(name: ConstantName): number {
  return (cv() as unknown as Record<ConstantName, number>)[name];
}

/** The name of a depth value (`CV_32F`), or `depth <n>` for an unknown one. */
export function depthName(depth: number): string {
  return DEPTHS.find((name) => constant(name) === depth) ?? `depth ${depth}`;
}

/** A Mat's type as OpenCV names it: `CV_32FC3`. */
export function typeName(mat: Mat): string {
  return `${depthName(mat.depth())}C${mat.channels()}`;
}

/** A Mat's size and type, for messages: `7x6 CV_32FC3`. */
export function describeMat(mat: Mat): string {
  return `${mat.cols}x${mat.rows} ${typeName(mat)}`;
}

/** `a, b or c` */
function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * The `TypeError` of {@link invalidParameter}, with the received value worded
 * by the caller (`a deleted Mat`) rather than described from its type.
 *
 * @param name - The parameter's name.
 * @param expected - What was expected, as a noun phrase.
 * @param received - What was received, as a noun phrase.
 * @param value - The value received.
 * @returns The error to throw.
 */
export function invalidReceived(name: string, expected: string, received: string, value: unknown): TypeError | RangeError {
  const error = invalidParameter(name, expected, value, 'type');
  error.message = `Expected ${expected} for ${name} but received ${received}`;
  return error;
}

/**
 * Check that `value` is a Mat of the loaded OpenCV.js, not deleted, and not
 * empty unless `allowEmpty`.
 *
 * @throws TypeError otherwise.
 */
export function assertMat(name: string, value: unknown, allowEmpty = false): asserts value is Mat {
  if (!(value instanceof cv().Mat)) throw invalidParameter(name, 'a Mat', value, 'type');
  if (value.isDeleted()) throw invalidReceived(name, 'a Mat', 'a deleted Mat (call clone() before delete(), or keep it alive)', value);
  if (!allowEmpty && value.empty()) throw invalidParameter(name, 'a non-empty Mat', 'an empty Mat', 'type');
}

/**
 * Check that a Mat has one of the `allowed` depths.
 *
 * @throws TypeError otherwise.
 */
export function assertDepth(name: string, mat: Mat, allowed: readonly Depth[]): void {
  if (!allowed.some((depth) => constant(depth) === mat.depth())) {
    throw invalidParameter(name, `a ${list(allowed)} Mat`, typeName(mat), 'type');
  }
}

/**
 * Check that `src` has a depth of `table` and `ddepth` is -1 or a destination
 * depth that `table` allows for it.
 *
 * @throws TypeError for a source depth not in the table or a non-number
 *   ddepth; RangeError for a destination depth not allowed.
 */
export function assertDdepth(name: string, ddepth: unknown, src: Mat, table: DepthTable): void {
  assertDepth('src', src, Object.keys(table) as Depth[]);
  const allowed = table[depthName(src.depth()) as Depth] ?? [];
  if (typeof ddepth === 'number' && (ddepth === -1 || allowed.some((depth) => constant(depth) === ddepth))) return;
  throw invalidParameter(name, `${list(['-1', ...allowed])} for a ${depthName(src.depth())} src`, ddepth);
}

/**
 * Check that `value` is -1 (keep the source depth) or a depth constant.
 *
 * @throws TypeError, RangeError otherwise.
 */
export function assertDepthOrKeep(name: string, value: unknown): void {
  if (value === -1 || DEPTHS.some((depth) => constant(depth) === value)) return;
  throw invalidParameter(name, `-1 or a depth (${list(DEPTHS)})`, value);
}

/**
 * The two numbers of a pair given as an array or as an object with the two
 * named fields (`cv.Size`, `cv.Point`, a plain object); `undefined` otherwise.
 */
function pairOf(value: unknown, a: string, b: string): readonly [unknown, unknown] | undefined {
  if (Array.isArray(value)) return value.length === 2 ? [value[0], value[1]] : undefined;
  if (typeof value === 'object' && value !== null && a in value && b in value) {
    return [(value as Record<string, unknown>)[a], (value as Record<string, unknown>)[b]];
  }
  return undefined;
}

/**
 * Check that `value` is a size whose width and height are integers of at
 * least `min`: a `[width, height]` pair, a `cv.Size` or a `{ width, height }`.
 *
 * @returns The size as a `[width, height]` pair.
 * @throws TypeError when it is not a pair of numbers; RangeError for a value below `min`.
 */
export function assertSize(name: string, value: unknown, min = 1): readonly [width: number, height: number] {
  const pair = assertSizeShape(name, value);
  return [assertInteger(`${name}[0]`, pair[0], min), assertInteger(`${name}[1]`, pair[1], min)];
}

/**
 * Check that `value` has the shape of a size (`[width, height]`, `cv.Size`,
 * `{ width, height }`), without checking the numbers.
 *
 * @returns Its two values, width first.
 * @throws TypeError otherwise.
 */
export function assertSizeShape(name: string, value: unknown): readonly [unknown, unknown] {
  const pair = pairOf(value, 'width', 'height');
  if (!pair) throw invalidParameter(name, 'a [width, height] pair or a cv.Size', value, 'type');
  return pair;
}

/**
 * Check that an anchor lies in a kernel of `ksize`: each coordinate -1 (the
 * centre) or an index into the kernel. It may be an `[x, y]` pair, a
 * `cv.Point` or an `{ x, y }`.
 *
 * @returns The anchor as an `[x, y]` pair.
 * @throws TypeError when it is not a pair of numbers; RangeError when it lies outside.
 */
export function assertAnchor(name: string, value: unknown, ksize: readonly [number, number]): readonly [x: number, y: number] {
  const pair = pairOf(value, 'x', 'y');
  if (!pair) throw invalidParameter(name, 'an [x, y] pair or a cv.Point', value, 'type');
  return [assertInteger(`${name}[0]`, pair[0], -1, ksize[0] - 1), assertInteger(`${name}[1]`, pair[1], -1, ksize[1] - 1)];
}

/**
 * Check that `value` is the value of one of the named constants.
 *
 * @throws TypeError when it is not a number; RangeError when it is none of them.
 */
export function assertConstant(name: string, value: unknown, names: readonly ConstantName[]): number {
  if (typeof value === 'number' && names.some((n) => constant(n) === value)) return value;
  throw invalidParameter(name, `one of ${names.join(', ')}`, value);
}

/**
 * Check a border mode: one of `names`, optionally combined with
 * BORDER_ISOLATED when `isolated` is true.
 *
 * @throws TypeError when it is not a number; RangeError when it is not allowed.
 */
export function assertBorder(name: string, value: unknown, names: readonly ConstantName[], isolated = true): number {
  const flag = constant('BORDER_ISOLATED');
  const base = isolated && typeof value === 'number' ? value & ~flag : value;
  if (typeof value === 'number' && Number.isInteger(value) && names.some((n) => constant(n) === base)) return value;
  throw invalidParameter(name, `one of ${names.join(', ')}${isolated ? ' (optionally | BORDER_ISOLATED)' : ''}`, value);
}

/**
 * Check that `mat` has the size of `ref`, and its depth and channel count
 * unless `compare` says otherwise, as OpenCV's element-wise operations require.
 *
 * @throws TypeError otherwise.
 */
export function assertLike(name: string, mat: Mat, refName: string, ref: Mat, compare: { depth?: boolean; channels?: boolean } = {}): void {
  const { depth = true, channels = true } = compare;
  const sameDepth = !depth || mat.depth() === ref.depth();
  const sameChannels = !channels || mat.channels() === ref.channels();
  if (mat.rows === ref.rows && mat.cols === ref.cols && sameDepth && sameChannels) return;
  const type = depth && channels ? typeName(ref) : depth ? depthName(ref.depth()) : channels ? `${ref.channels()}-channel` : '';
  throw invalidParameter(name, `a ${ref.cols}x${ref.rows}${type ? ` ${type}` : ''} Mat (as ${refName})`, describeMat(mat), 'type');
}

/**
 * Check the operands of an element-wise operation: non-empty Mats of the same
 * size and channel count, of the same depth unless a `dtype` is given (which
 * must be -1 or a depth), and an optional CV_8UC1 mask of their size.
 *
 * @throws TypeError for operands that do not match; RangeError for a bad `dtype`.
 */
export function assertOperands(src1: Mat, src2: Mat, dtype: unknown = -1, mask?: Mat): void {
  assertMat('src1', src1);
  assertMat('src2', src2);
  assertDepthOrKeep('dtype', dtype);
  assertLike('src2', src2, 'src1', src1, { depth: dtype === -1 });
  if (mask === undefined) return;
  assertMat('mask', mask);
  assertDepth('mask', mask, ['CV_8U']);
  assertLike('mask', mask, 'src1', src1, { depth: false, channels: false });
  if (mask.channels() !== 1) throw invalidParameter('mask', 'a single-channel Mat', typeName(mask), 'type');
}
