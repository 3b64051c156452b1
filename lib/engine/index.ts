/**
 * The N-frame engine (`stack`, `stackFrames`) and its methods (folds over
 * frames, lib/strategies/fold/).
 */
export * from './options.js';
export * from './buffers.js';
export * from './prepare.js';
export * from './stack.js';
export * from './node.js';
export * from '../strategies/fold/index.js';
export * from './align.js';
