/**
 * Fused typed-array loops for the hot paths, outside the WebAssembly heap.
 * Each one is checked against OpenCV.js in test/kernels/.
 */
export * from './activity.js';
export * from './blend.js';
export * from './border.js';
export * from './convert.js';
export * from './mask.js';
export * from './pool.js';
export * from './pyramid.js';
export * from './warp.js';
