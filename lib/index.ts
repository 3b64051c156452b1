/**
 * focus-stacking: fuse photos taken at different focus distances into one
 * image that is sharp throughout. The one public entry point.
 *
 * - Stack a pair: {@link loadImage}, {@link stackPair}, {@link saveImage}.
 * - Choose and tune methods: the strategies (`gradientStrategy`,
 *   `laplacianStrategy`, `medianStrategy`) and the pipeline (`runJobs`, `Mode`).
 * - Script at the Mat level: the thin OpenCV.js wrappers (`filter2D`,
 *   `pyrUp`, `medianBlur`, ...), `loadOpenCV`, `MatScope`.
 * - Fast typed-array versions of the hot loops: the `kernels` namespace.
 */
export * from './errors.js';
export * from './image.js';
export * from './cv/index.js';
export * from './codecs/index.js';
export * from './io.js';
export * from './strategies/index.js';
export * from './parallel/index.js';
export * from './pipeline.js';
export * from './stack.js';
export * from './evaluate/index.js';
export * from './align/index.js';
export * from './engine/index.js';
export * as kernels from './kernels/index.js';
export { main, ExitCode, type CliStreams, type TextSink } from './cli/index.js';
