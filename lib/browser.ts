/**
 * focus-stacking in a browser (or any host without Node.js): the package
 * root under the `browser` export condition. The same computing core as the
 * Node.js entry (images, kernels, strategies, the N-frame engine
 * `stackFrames`, alignment, the OpenCV.js wrappers, metrics), plus what a
 * page needs: decoding and encoding with the canvas (`decodeImageBlob`,
 * `encodeImageBlob`), kernels on Web Workers (`webExecutor`), and an engine
 * worker that keeps the page's main thread free (`StackWorker`). No file
 * access, no worker_threads, no codecs of Node.js (sharp, jimp), no CLI.
 *
 * OpenCV.js comes from the `cv` global of `<script src="opencv.js">`, or
 * from {@link useOpenCV}.
 */
export * from './errors.js';
export * from './image.js';
export * from './cv/index.js';
export * from './strategies/index.js';
export * from './pipeline.js';
export * from './evaluate/index.js';
export * from './align/index.js';
export * from './engine/options.js';
export * from './engine/buffers.js';
export * from './engine/prepare.js';
export * from './engine/stack.js';
export * from './engine/align.js';
export * from './strategies/fold/index.js';
export { Executor, ExecutorSession, SerialExecutor, serialExecutor, type SessionOptions } from './parallel/executor.js';
export * from './parallel/web.js';
export * from './web/canvas.js';
export * from './web/limits.js';
export type { WebStackOptions, WebStackResult } from './web/protocol.js';
export * from './web/client.js';
export * as kernels from './kernels/index.js';
