/**
 * Small real stacks for the batch and queue tests: the four pcb frames
 * (fixtures/pcb, 2048x1536 JPEGs) reduced 12 times by box averaging to
 * 170x128, and cut to 160x120 at an offset that differs from stack to
 * stack, so that every stack has its own result. Written as PNGs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Image } from '../../lib/image.js';
import { loadImage } from '../../lib/io.js';
import { fixture, pngFile } from '../helpers/files.js';

const PCB = ['pcb_001', 'pcb_003', 'pcb_004', 'pcb_007'];
let reduced: Image[] | undefined;

/** An image reduced `k` times by averaging k x k boxes. */
function reduce(image: Image, k: number): Image {
  const w = Math.floor(image.width / k), h = Math.floor(image.height / k), cn = image.channels;
  const data = new Uint8Array(w * h * cn);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) {
    let sum = 0;
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += image.data[((y * k + dy) * image.width + x * k + dx) * cn + c];
    data[(y * w + x) * cn + c] = Math.round(sum / (k * k));
  }
  return { width: w, height: h, channels: cn, data };
}

/** `image` cut to width x height at (x0, y0). */
function cut(image: Image, x0: number, y0: number, width: number, height: number): Image {
  const cn = image.channels;
  const data = new Uint8Array(width * height * cn);
  for (let y = 0; y < height; y++) data.set(image.data.subarray(((y0 + y) * image.width + x0) * cn, ((y0 + y) * image.width + x0 + width) * cn), y * width * cn);
  return { width, height, channels: cn, data };
}

/** The four pcb frames at 170x128 (read once). */
async function pcbSmall(): Promise<Image[]> {
  reduced ??= await Promise.all(PCB.map(async (name) => reduce(await loadImage(fixture(`../pcb/${name}.jpg`)), 12)));
  return reduced;
}

/**
 * Write `count` stacks of 4 frames (160x120 PNGs) into folders `dir/s00`, `dir/s01`, ...
 *
 * @returns The stack folders.
 */
export async function writeStacks(dir: string, count: number, prefix = 's'): Promise<string[]> {
  const frames = await pcbSmall();
  const folders: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `${prefix}${String(i).padStart(2, '0')}`);
    await mkdir(folder, { recursive: true });
    const [dx, dy] = [i % 11, Math.floor(i / 11) % 9];
    for (const [j, frame] of frames.entries()) await writeFile(join(folder, `${PCB[j]}.png`), pngFile(cut(frame, dx, dy, 160, 120)));
    folders.push(folder);
  }
  return folders;
}
