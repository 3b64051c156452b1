/**
 * The ground-truth scenes: a photo as texture, with
 *
 * - `ramp`: a tilted plane, depth rising smoothly from frame 0 at the left
 *   edge to frame N-1 at the right;
 * - `steps`: a 4x2 grid of flat tiles at depths that jump by two frames or
 *   more from one tile to the next;
 * - `occlusion`: a flat textured background near the far end of the stack,
 *   and in front of it, cut from another photo, a disc and a thin bar (a
 *   wire) near the near end: the background is complete behind them, so the
 *   blurred near objects spread over it in the frames focused on it;
 * - `custom`: any photo with any depth map;
 *
 * and, for the gather model (no occlusion: the depth is a whole frame index
 * at every pixel, and every frame is exact where it is in focus),
 *
 * - `terraces`: a tilted plane quantised to the N frame planes;
 * - `blobs`: a smooth random field (fixed seed) quantised to N levels of
 *   equal area;
 * - `steps-gather`: the tiles of `steps`.
 *
 * Pure typed arrays, deterministic.
 */
import type { Image } from '../../lib/image.js';
import type { GatherScene, Layer, Scene, SmoothScene } from './render.js';
import { rng } from '../../test/helpers/random.js';

/** A texture: RGB on the 0..255 scale, interleaved. */
export interface Texture {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width * height * 3` samples. */
  readonly data: Float32Array;
}

/**
 * Fit a photo to `width` x `height`: the centre crop of the right aspect,
 * reduced by the largest whole factor k that fits (the mean of each k x k
 * block), optionally turned half a turn. A 2048x1536 photo gives 1024x768
 * with k = 2, uncropped.
 *
 * @param photo - 8- or 16-bit, gray or RGB.
 * @param width - Width wanted, at most the photo's.
 * @param height - Height wanted, at most the photo's.
 * @param rotate - Turn it by 180 degrees.
 * @returns The texture.
 */
export function textureFromPhoto(photo: Image, width: number, height: number, rotate = false): Texture {
  const k = Math.floor(Math.min(photo.width / width, photo.height / height));
  if (k < 1) throw new RangeError(`the photo (${photo.width}x${photo.height}) is smaller than ${width}x${height}`);
  const ox = Math.floor((photo.width - k * width) / 2);
  const oy = Math.floor((photo.height - k * height) / 2);
  const scale = photo.data instanceof Uint16Array ? 1 / 257 : 1;
  const data = new Float32Array(width * height * 3);
  const ch = photo.channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const out = rotate ? (height - 1 - y) * width + (width - 1 - x) : y * width + x;
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) s += photo.data[((oy + y * k + j) * photo.width + ox + x * k + i) * ch + (ch === 3 ? c : 0)];
        data[3 * out + c] = (s * scale) / (k * k);
      }
    }
  }
  return { width, height, data };
}

const full = (n: number) => new Float32Array(n).fill(1);

/** A layer covering everything, with depth `depthAt(x, y)`. */
function plane(texture: Texture, depthAt: (x: number, y: number) => number): Layer {
  const { width, height } = texture;
  const depth = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) depth[y * width + x] = depthAt(x, y);
  return { color: texture.data, alpha: full(width * height), depth };
}

/**
 * A tilted plane: depth 0 at the left edge to N-1 at the right.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @returns The scene.
 */
export function rampScene(texture: Texture, frames: number): Scene {
  const { width, height } = texture;
  return {
    name: 'ramp',
    description: `a tilted plane, depth 0 (left) to ${frames - 1} (right)`,
    width,
    height,
    layers: [plane(texture, (x) => ((frames - 1) * x) / Math.max(1, width - 1))],
  };
}

/** Tile depths of {@link stepsScene} for N = 8, scaled to other N. */
const STEPS = [
  [0, 5, 2, 7],
  [4, 1, 6, 3],
];

/**
 * A 4x2 grid of flat tiles, depths (N = 8) `0 5 2 7 / 4 1 6 3`, scaled to N.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @returns The scene.
 */
export function stepsScene(texture: Texture, frames: number): Scene {
  const { width, height } = texture;
  const { depthAt, text } = stepsDepth(width, height, frames);
  return {
    name: 'steps',
    description: `8 flat tiles at depths ${text}`,
    width,
    height,
    layers: [plane(texture, depthAt)],
  };
}

/** The tile depths of the steps scenes, scaled to N. */
function stepsDepth(width: number, height: number, frames: number): { depthAt: (x: number, y: number) => number; text: string } {
  const depths = STEPS.map((row) => row.map((d) => Math.round((d * (frames - 1)) / 7)));
  return {
    depthAt: (x, y) => depths[Math.min(1, Math.floor((2 * y) / height))][Math.min(3, Math.floor((4 * x) / width))],
    text: depths.map((r) => r.join(' ')).join(' / '),
  };
}

/** A gather scene from a texture and a whole frame index at each pixel. */
function gatherScene(texture: Texture, name: string, description: string, indexAt: (x: number, y: number) => number): GatherScene {
  const { width, height } = texture;
  const indices = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) indices[y * width + x] = indexAt(x, y);
  return { name, description, width, height, color: texture.data, indices };
}

/**
 * The tiles of {@link stepsScene} for the gather model: no occlusion.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @returns The scene.
 */
export function stepsGatherScene(texture: Texture, frames: number): GatherScene {
  const { depthAt, text } = stepsDepth(texture.width, texture.height, frames);
  return gatherScene(texture, 'steps-gather', `8 flat tiles at depths ${text}, gather model`, depthAt);
}

/**
 * A tilted plane quantised to the N frame planes: terraces whose edges
 * slant (the depth rises mostly to the right, a little downwards), each
 * one frame above the last, `min(N-1, floor(N t))` with
 * `t = 0.85 x / W + 0.15 y / H`.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @returns The scene.
 */
export function terracesScene(texture: Texture, frames: number): GatherScene {
  const { width, height } = texture;
  return gatherScene(texture, 'terraces', `a tilted plane quantised to ${frames} terraces, 0 (top left) to ${frames - 1} (bottom right), gather model`, (x, y) =>
    Math.min(frames - 1, Math.floor(frames * ((0.85 * x) / width + (0.15 * y) / height))),
  );
}

/**
 * A smooth random field quantised to N levels of equal area: the sum of 14
 * Gaussian bumps of random sign, place and width (seeded, and placed in
 * units of the height, so every size shows the same pattern), cut at its
 * N-quantiles.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @param seed - The random seed.
 * @returns The scene.
 */
export function blobsScene(texture: Texture, frames: number, seed = 7): GatherScene {
  const { width, height } = texture;
  const field = bumpField(width, height, seed);
  const sorted = Float32Array.from(field).sort();
  const cuts = Array.from({ length: frames - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / frames)]);
  return gatherScene(texture, 'blobs', `a smooth random field (seed ${seed}) quantised to ${frames} levels of equal area, gather model`, (x, y) => {
    const f = field[y * width + x];
    let level = 0;
    while (level < cuts.length && f >= cuts[level]) level++;
    return level;
  });
}

/**
 * The sum of 14 Gaussian bumps of random sign, place and width (seeded, and
 * placed in units of the height, so every size shows the same pattern).
 */
function bumpField(width: number, height: number, seed: number): Float32Array {
  const next = rng(seed); // mulberry32: the random scenes are the same everywhere
  const aspect = width / height;
  const bumps = Array.from({ length: 14 }, () => ({ cx: next() * aspect, cy: next(), s: 0.07 + 0.13 * next(), a: 2 * next() - 1 }));
  const field = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / height;
      const v = (y + 0.5) / height;
      let f = 0;
      for (const b of bumps) f += b.a * Math.exp(-((u - b.cx) ** 2 + (v - b.cy) ** 2) / (2 * b.s * b.s));
      field[y * width + x] = f;
    }
  }
  return field;
}

/** `t` in 0..1 spread over the N frames' slabs of one depth of field: `N t - 1/2`, within 0 .. N-1. */
const slab = (t: number, frames: number): number => Math.min(frames - 1, Math.max(0, frames * t - 0.5));

/**
 * A tilted plane of continuous depth, for the depth-of-field model: the
 * terraces' plane without the quantisation, `N t - 1/2` (within 0 .. N-1)
 * with `t = 0.85 x / W + 0.15 y / H`, so each frame is the sharpest over a
 * band of equal width.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @returns The scene.
 */
export function slopeScene(texture: Texture, frames: number): SmoothScene {
  const { width, height } = texture;
  const depth = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) depth[y * width + x] = slab((0.85 * x) / width + (0.15 * y) / height, frames);
  return { name: 'slope', description: `a tilted plane, depth 0 (top left) to ${frames - 1} (bottom right), continuous, depth of field one frame`, width, height, color: texture.data, depth };
}

/**
 * The blobs' random field as a continuous surface, for the depth-of-field
 * model: the field stretched linearly so that its 1st and 99th percentiles
 * are depths -1/2 and N - 1/2, within 0 .. N-1: hills and hollows whose
 * depth is as smooth as the field.
 *
 * @param texture - The photo.
 * @param frames - N.
 * @param seed - The random seed.
 * @returns The scene.
 */
export function hillsScene(texture: Texture, frames: number, seed = 7): SmoothScene {
  const { width, height } = texture;
  const field = bumpField(width, height, seed);
  const sorted = Float32Array.from(field).sort();
  const low = sorted[Math.floor(0.01 * sorted.length)];
  const high = sorted[Math.floor(0.99 * sorted.length)];
  const depth = Float32Array.from(field, (f) => slab((f - low) / (high - low), frames));
  return { name: 'hills', description: `a smooth random field (seed ${seed}) as a continuous surface, depth of field one frame`, width, height, color: texture.data, depth };
}

/** Where the near objects of {@link occlusionScene} are, as fractions of the size. */
const OCCLUDERS = {
  disc: { cx: 0.38, cy: 0.5, radius: 0.25 },
  bar: { x0: 0.62, y0: 0.05, x1: 0.9, y1: 0.95, halfWidth: 6 },
} as const;

/**
 * A background plane near the far end (depth round(0.15 (N-1))) and, in front,
 * a disc (depth round(0.85 (N-1))) and a thin bar (depth N-1) textured from
 * another photo; their edges are anti-aliased (coverage from the distance to
 * the outline).
 *
 * @param background - The background's photo.
 * @param object - The near objects' photo, as large.
 * @param frames - N.
 * @returns The scene.
 */
export function occlusionScene(background: Texture, object: Texture, frames: number): Scene {
  const { width, height } = background;
  const far = Math.round(0.15 * (frames - 1));
  const discDepth = Math.round(0.85 * (frames - 1));
  const n = width * height;
  const disc = new Float32Array(n);
  const bar = new Float32Array(n);
  const { cx, cy, radius } = OCCLUDERS.disc;
  const b = OCCLUDERS.bar;
  const [bx0, by0, bx1, by1] = [b.x0 * width, b.y0 * height, b.x1 * width, b.y1 * height];
  const length = Math.hypot(bx1 - bx0, by1 - by0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      // Coverage of the pixel: 1 inside, 0 outside, linear over the pixel across the outline.
      const r = Math.hypot(x - cx * width, y - cy * height);
      disc[p] = Math.min(1, Math.max(0, radius * height - r + 0.5));
      // Distance to the bar's segment.
      const t = Math.min(1, Math.max(0, ((x - bx0) * (bx1 - bx0) + (y - by0) * (by1 - by0)) / (length * length)));
      const d = Math.hypot(x - (bx0 + t * (bx1 - bx0)), y - (by0 + t * (by1 - by0)));
      bar[p] = Math.min(1, Math.max(0, b.halfWidth - d + 0.5));
    }
  }
  return {
    name: 'occlusion',
    description: `background at depth ${far}; a disc at ${discDepth} and a bar at ${frames - 1} in front, from another photo`,
    width,
    height,
    layers: [
      plane(background, () => far),
      { color: object.data, alpha: disc, depth: new Float32Array(n).fill(discDepth) },
      { color: object.data, alpha: bar, depth: new Float32Array(n).fill(frames - 1) },
    ],
  };
}

/**
 * Any photo with any depth map: a map value v (0..M) is depth `v (N-1) / M`.
 *
 * @param texture - The photo.
 * @param map - The depth map, as large, gray (the first channel is read).
 * @param frames - N.
 * @returns The scene.
 */
export function customScene(texture: Texture, map: Image, frames: number): Scene {
  const { width, height } = texture;
  if (map.width !== width || map.height !== height) throw new RangeError(`the depth map is ${map.width}x${map.height}, the photo ${width}x${height}`);
  const top = map.data instanceof Uint16Array ? 65535 : 255;
  return {
    name: 'custom',
    description: 'a photo and a depth map given on the command line',
    width,
    height,
    layers: [plane(texture, (x, y) => (map.data[(y * width + x) * map.channels] * (frames - 1)) / top)],
  };
}
