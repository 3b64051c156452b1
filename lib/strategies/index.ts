export * from './strategy.js';
export * from './options.js';
export * from './measures.js';
export * from './gradient.js';
export * from './laplacian.js';
export * from './median.js';
