/**
 * The engine worker: a module Web Worker that loads OpenCV.js, decodes the
 * frames it is sent (one at a time, when the engine needs them; kept for a
 * second reading while they fit in {@link DECODED_CACHE_BYTES}), runs
 * `stackFrames` on them with kernels on Web Workers when memory can be shared
 * (else on this worker alone), and sends back the encoded result, the depth
 * map and the transforms. The page's main thread only does the UI.
 */
import { useOpenCV, loadOpenCV } from '../cv/runtime.js';
import { transformsToJSON } from '../align/transforms.js';
import { stackFrames } from '../engine/stack.js';
import type { Executor } from '../parallel/executor.js';
import { canShareMemory, defaultWebThreads, webExecutor } from '../parallel/web.js';
import type { Image } from '../image.js';
import { decodeImageBlob, encodeImageBlob } from './canvas.js';
import { DECODED_CACHE_BYTES, MAX_WEB_PIXELS, memoryMessage } from './limits.js';
import type { EngineReply, EngineRequest } from './protocol.js';

const scope = globalThis as unknown as { onmessage: ((event: { data: EngineRequest }) => void) | null; postMessage(message: EngineReply): void };

let executor: Executor | undefined;
let ready: Promise<void> | undefined;
const controllers = new Map<number, AbortController>();

async function init(opencvUrl: string, threads = defaultWebThreads()): Promise<void> {
  const t0 = performance.now();
  // opencv.js is a UMD script that sets globalThis.cv; as a module it does the same.
  useOpenCV(async () => {
    await import(/* webpackIgnore: true */ /* @vite-ignore */ opencvUrl);
    return (globalThis as { cv?: unknown }).cv;
  });
  await loadOpenCV();
  executor = webExecutor(threads);
  scope.postMessage({ type: 'ready', ms: performance.now() - t0, threads: executor.threads, shared: canShareMemory() });
}

async function stack(request: Extract<EngineRequest, { type: 'stack' }>): Promise<void> {
  const { id, files, names, options } = request;
  const controller = new AbortController();
  controllers.set(id, controller);
  const t0 = performance.now();
  try {
    await ready;
    // Two-pass methods read each frame twice; decoding in the page is slow (about 0.3 s a 3 MP JPEG),
    // so decoded frames are kept for the second reading while they fit in DECODED_CACHE_BYTES.
    const decoded = new Map<number, Image>();
    let held = 0;
    const frames = files.map((file, i) => async () => {
      const hit = decoded.get(i);
      if (hit) return hit;
      const image = await decodeImageBlob(file, { name: names[i], maxPixels: MAX_WEB_PIXELS });
      if (held + image.data.byteLength <= DECODED_CACHE_BYTES) {
        decoded.set(i, image);
        held += image.data.byteLength;
      }
      return image;
    });
    const { image, depth, transforms, report } = await stackFrames(frames, {
      ...(options.method ? { method: options.method } : {}),
      ...(options.levels ? { levels: options.levels } : {}),
      ...(options.reference === undefined ? {} : { reference: options.reference }),
      align: options.align ?? true,
      crop: options.crop ?? false,
      depthMap: true,
      executor: executor!,
      signal: controller.signal,
      onProgress: (progress) => scope.postMessage({ type: 'progress', id, progress, name: progress.frame >= 0 ? names[progress.frame] : '' }),
      onWarning: (message) => scope.postMessage({ type: 'warning', id, message }),
    });
    const [imageBlob, depthBlob] = [await encodeImageBlob(image, { type: options.type ?? 'image/png' }), await encodeImageBlob(depth!)];
    const first = report.frames[report.reference];
    const text = transformsToJSON({
      version: 1,
      width: first.width,
      height: first.height,
      reference: report.reference,
      frames: transforms.map((t, i) => ({ file: names[i], matrix: t.matrix, gain: t.gain, offset: t.offset, correlation: t.correlation })),
    });
    scope.postMessage({ type: 'done', id, result: { image: imageBlob, depth: depthBlob, transforms: text, report, ms: performance.now() - t0 } });
  } catch (error) {
    const message = memoryMessage(error) ?? (error instanceof Error ? error.message : String(error));
    scope.postMessage({ type: 'error', id, name: error instanceof Error ? error.name : 'Error', message });
  } finally {
    controllers.delete(id);
  }
}

scope.onmessage = ({ data }) => {
  switch (data.type) {
    case 'init':
      ready = init(data.opencvUrl, data.threads);
      ready.catch((error: unknown) => scope.postMessage({ type: 'error', id: -1, name: 'Error', message: error instanceof Error ? error.message : String(error) }));
      break;
    case 'stack':
      void stack(data);
      break;
    case 'cancel':
      controllers.get(data.id)?.abort(new Error('cancelled'));
      break;
  }
};
