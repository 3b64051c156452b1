/**
 * Aligning the frames of a focus stack: affine matrices and their
 * convention, thumbnails, phase correlation, the ECC estimate, the gain and
 * offset fit, and the transforms file. The warp itself is the
 * `kernels.warpAffine` kernel (`Executor.warpAffine` on threads).
 */
export * from './affine.js';
export * from './thumbnail.js';
export * from './phase.js';
export * from './estimate.js';
export * from './gain.js';
export * from './transforms.js';
