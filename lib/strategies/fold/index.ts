/**
 * The N-frame methods, as folds over frames (see {@link FoldStrategy}).
 */
export * from './fold.js';
export * from './measures.js';
export * from './matMeasure.js';
export * from './decision.js';
export * from './pyramidal.js';
export * from './gradient.js';
export * from './pyramid.js';
export * from './dmap.js';
export * from './hybrid.js';
