/**
 * Quality metrics: how close a stacked result is to the truth (PSNR, SSIM,
 * the share of samples off by more than a few levels) and how close a depth
 * map is to the true one, over the image less a border or a masked band
 * (such as the band around depth discontinuities, where fusion leaves halos).
 * Pure typed-array code.
 */
export type { RegionOptions } from './region.js';
export * from './psnr.js';
export * from './ssim.js';
export * from './shareOff.js';
export * from './depth.js';
