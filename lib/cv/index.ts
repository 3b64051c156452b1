/**
 * Thin OpenCV.js wrappers that mirror cv2 calls, one operation a file, and
 * the runtime they share. Every wrapper returns a new Mat (or writes into the
 * `dst` option) that the caller deletes.
 */
export * from './runtime.js';
export * from './scope.js';
export * from './call.js';
export * from './convert.js';
export type { Size, Point } from './validate.js';
export * from './absdiff.js';
export * from './add.js';
export * from './boxFilter.js';
export * from './convertTo.js';
export * from './cvtColor.js';
export * from './filter2D.js';
export * from './GaussianBlur.js';
export * from './Laplacian.js';
export * from './medianBlur.js';
export * from './merge.js';
export * from './multiply.js';
export * from './pyrDown.js';
export * from './pyrUp.js';
export * from './resize.js';
export * from './Sobel.js';
export * from './split.js';
export * from './subtract.js';
export * from './threshold.js';
