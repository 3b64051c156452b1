/**
 * Child process of the engine's leak test: `node --expose-gc leak-stack.js THREADS CALLS`
 * runs `stack` (default alignment, depth map) CALLS times on three 160x120
 * frames made from the 640x480 parity pair (the third one shifted) and
 * prints the {@link Growth} as JSON.
 */
import { stack } from '../../lib/engine/node.js';
import type { Image } from '../../lib/image.js';
import { loadImage } from '../../lib/io.js';
import { closeExecutors } from '../../lib/parallel/index.js';
import { fixture } from './files.js';
import { memoryGrowth } from './leak.js';

/** A 2x2 box reduction, moved by (dx, dy) whole pixels (edges replicated). */
function half(image: Image, dx = 0, dy = 0): Image {
  const w = image.width >> 1, h = image.height >> 1, cn = image.channels;
  const data = new Uint8Array(w * h * cn);
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) {
    const at = (ox: number, oy: number) => image.data[(clamp(2 * (y + dy) + oy, image.height) * image.width + clamp(2 * (x + dx) + ox, image.width)) * cn + c];
    data[(y * w + x) * cn + c] = Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4);
  }
  return { width: w, height: h, channels: cn, data };
}

const [threads, calls] = process.argv.slice(2).map(Number);
const back = await loadImage(fixture('pcb-640x480/input/back.png'));
const front = await loadImage(fixture('pcb-640x480/input/front.png'));
const small = (image: Image, dx = 0, dy = 0) => half(half(image), dx, dy);
const frames = [small(back), small(front), small(front, 3, -2)];
const growth = await memoryGrowth(() => stack(frames, { threads, depthMap: true }), calls);
await closeExecutors();
process.stdout.write(`${JSON.stringify(growth)}\n`);
