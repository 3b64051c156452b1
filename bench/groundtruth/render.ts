/**
 * A renderer of ground-truth focus stacks: from layers of colour, coverage
 * and depth, N frames each focused at one depth and blurred elsewhere as a
 * lens blurs, the all-in-focus truth and the true depth (the index of the
 * frame in focus at each pixel). Pure typed arrays, deterministic.
 *
 * The model:
 *
 * - Depth is measured in frames: frame `f` (0 .. N-1) is in focus at depth
 *   `f`; a larger depth is nearer the camera, so it covers a smaller one.
 * - A point at depth `z` is blurred in frame `f` by a Gaussian of standard
 *   deviation `blurPerFrame * |z - f|` pixels (the circle of confusion grows
 *   linearly with the focus distance, as it does over the short range of a
 *   macro stack).
 * - Each layer is cut into slices of equal depth (`slicesPerFrame` a frame,
 *   so a slope is rendered smoothly); each slice's premultiplied colour and
 *   coverage are blurred by its own Gaussian and composited far to near with
 *   "over": `C = C_s + (1 - A_s) C`, `A = A_s + (1 - A_s) A`, the frame being
 *   `C / A`. A near object out of focus thus spreads over the background
 *   with a blurred edge (what fusion turns into halos), and where a blurred
 *   slice leaves a hole (a layer cut from a single photo has nothing behind
 *   its near parts), dividing by `A` fills it with the average of what is
 *   there rather than with black. Outside the image counts as empty.
 * - The truth is the same composite without blur; the true depth at a pixel
 *   is that of the nearest layer covering at least half of it, rounded to a
 *   frame index.
 *
 * This "scatter" model lets a blurred layer spread over its neighbours
 * (occlusion). {@link renderGather} is the other model, for stacks without
 * occlusion: each output pixel gathers the texture around it through the
 * blur of its own depth.
 */
import type { Image } from '../../lib/image.js';

/** One layer of a scene: an image with a coverage and a depth at each pixel. */
export interface Layer {
  /** RGB samples on the 0..255 scale, interleaved, `width * height * 3`. */
  readonly color: Float32Array;
  /** Coverage from 0 (absent) to 1, one a pixel. */
  readonly alpha: Float32Array;
  /** Depth in frames (frame f is sharp at depth f; larger is nearer), one a pixel. */
  readonly depth: Float32Array;
}

/** What to render: layers of the same size, far to near where depths tie. */
export interface Scene {
  /** A short name (the output folder). */
  readonly name: string;
  /** What the scene shows, one line. */
  readonly description: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The layers. */
  readonly layers: readonly Layer[];
}

/** Options of {@link renderStack}. */
export interface RenderOptions {
  /**
   * Frames in the stack, N: frame f is focused at depth f.
   * @default 8
   */
  frames?: number;
  /**
   * Standard deviation of the blur, in pixels, a frame of defocus.
   * @default 1.5
   */
  blurPerFrame?: number;
  /**
   * Depth slices a frame (a slope is rendered as steps of 1 / this).
   * @default 4
   */
  slicesPerFrame?: number;
}

/** The defaults of {@link RenderOptions}. */
export const RENDER_DEFAULTS = { frames: 8, blurPerFrame: 1.5, slicesPerFrame: 4 } as const;

/** A rendered stack. */
export interface RenderedStack {
  /** The N frames, 8-bit RGB; frame f is focused at depth f. */
  readonly frames: Image[];
  /** The all-in-focus truth, 8-bit RGB. */
  readonly truth: Image;
  /** The true depth map: 8-bit gray, frame i stored as `round(255 i / (N - 1))`. */
  readonly depth: Image;
  /** The true frame index of each pixel. */
  readonly indices: Uint16Array;
}

/** A slice: the pixels of one layer at one quantised depth, and their bounding box. */
interface Slice {
  layer: Layer;
  /** The quantised depth, in slices (depth = level / slicesPerFrame). */
  level: number;
  /** Which pixels: the layer's quantised depth equals `level` and it covers them. */
  levels: Int32Array;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Render a scene: every frame, the truth and the true depth.
 *
 * @param scene - The layers.
 * @param options - See {@link RenderOptions}.
 * @returns The stack.
 */
export function renderStack(scene: Scene, options: RenderOptions = {}): RenderedStack {
  const { frames = RENDER_DEFAULTS.frames, blurPerFrame = RENDER_DEFAULTS.blurPerFrame, slicesPerFrame = RENDER_DEFAULTS.slicesPerFrame } = options;
  if (!Number.isInteger(frames) || frames < 2 || frames > 256) throw new RangeError(`frames: expected an integer from 2 to 256 but received ${frames}`);
  if (!(blurPerFrame >= 0)) throw new RangeError(`blurPerFrame: expected a number of at least 0 but received ${blurPerFrame}`);
  if (!Number.isInteger(slicesPerFrame) || slicesPerFrame < 1) throw new RangeError(`slicesPerFrame: expected a positive integer but received ${slicesPerFrame}`);
  const slices = sliceScene(scene, slicesPerFrame);
  const out: Image[] = [];
  for (let f = 0; f < frames; f++) out.push(composite(scene, slices, (level) => blurPerFrame * Math.abs(level / slicesPerFrame - f)));
  const truth = composite(scene, slices, () => 0);
  const indices = trueIndices(scene, frames);
  const depth: Image = { width: scene.width, height: scene.height, channels: 1, data: Uint8Array.from(indices, (i) => Math.round((255 * i) / (frames - 1))) };
  return { frames: out, truth, depth, indices };
}

/** Cut every layer into slices of equal quantised depth, far to near. */
function sliceScene(scene: Scene, slicesPerFrame: number): Slice[] {
  const { width, height } = scene;
  const slices: Slice[] = [];
  for (const layer of scene.layers) {
    const levels = new Int32Array(width * height);
    const boxes = new Map<number, Slice>();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (layer.alpha[p] <= 0) {
          levels[p] = -1;
          continue;
        }
        const level = Math.max(0, Math.round(layer.depth[p] * slicesPerFrame));
        levels[p] = level;
        const box = boxes.get(level);
        if (box === undefined) boxes.set(level, { layer, level, levels, x0: x, y0: y, x1: x + 1, y1: y + 1 });
        else {
          box.x0 = Math.min(box.x0, x);
          box.x1 = Math.max(box.x1, x + 1);
          box.y1 = y + 1;
        }
      }
    }
    slices.push(...boxes.values());
  }
  // Far to near; a stable sort keeps the layers' order where depths tie.
  return slices.sort((a, b) => a.level - b.level);
}

/** Composite the slices, each blurred by `sigmaOf(level)`, into an 8-bit RGB image. */
function composite(scene: Scene, slices: Slice[], sigmaOf: (level: number) => number): Image {
  const { width, height } = scene;
  const color = new Float32Array(width * height * 3);
  const cover = new Float32Array(width * height);
  for (const slice of slices) {
    const sigma = sigmaOf(slice.level);
    const r = sigma < 0.2 ? 0 : Math.ceil(3 * sigma);
    const x0 = Math.max(0, slice.x0 - r);
    const x1 = Math.min(width, slice.x1 + r);
    const y0 = Math.max(0, slice.y0 - r);
    const y1 = Math.min(height, slice.y1 + r);
    const rw = x1 - x0;
    const rh = y1 - y0;
    // Premultiplied R, G, B and coverage of the slice over the region, planar.
    const planes = new Float32Array(4 * rw * rh);
    const plane = rw * rh;
    const { layer, level, levels } = slice;
    for (let y = slice.y0; y < slice.y1; y++) {
      for (let x = slice.x0; x < slice.x1; x++) {
        const p = y * width + x;
        if (levels[p] !== level) continue;
        const a = layer.alpha[p];
        const q = (y - y0) * rw + (x - x0);
        planes[q] = a * layer.color[3 * p];
        planes[plane + q] = a * layer.color[3 * p + 1];
        planes[2 * plane + q] = a * layer.color[3 * p + 2];
        planes[3 * plane + q] = a;
      }
    }
    if (r > 0) {
      const kernel = gaussianKernel(sigma, r);
      for (let c = 0; c < 4; c++) blurPlane(planes.subarray(c * plane, (c + 1) * plane), rw, rh, kernel, slice.y0 - y0, slice.y1 - y0);
    }
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const q = (y - y0) * rw + (x - x0);
        const a = planes[3 * plane + q];
        if (a === 0) continue;
        const p = y * width + x;
        const keep = 1 - a;
        color[3 * p] = planes[q] + keep * color[3 * p];
        color[3 * p + 1] = planes[plane + q] + keep * color[3 * p + 1];
        color[3 * p + 2] = planes[2 * plane + q] + keep * color[3 * p + 2];
        cover[p] = a + keep * cover[p];
      }
    }
  }
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const a = cover[p];
    for (let c = 0; c < 3; c++) data[3 * p + c] = a > 0 ? Math.min(255, Math.max(0, Math.round(color[3 * p + c] / a))) : 0;
  }
  return { width, height, channels: 3, data };
}

/** A normalised Gaussian of `2r + 1` taps. */
function gaussianKernel(sigma: number, r: number): Float32Array {
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/**
 * Separable convolution of a plane with zeros outside, in place; only rows
 * [rowsFrom, rowsTo) hold non-zero values before the blur.
 */
function blurPlane(plane: Float32Array, w: number, h: number, kernel: Float32Array, rowsFrom: number, rowsTo: number): void {
  const r = (kernel.length - 1) / 2;
  const line = new Float32Array(Math.max(w, h));
  for (let y = rowsFrom; y < rowsTo; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      const from = Math.max(0, x - r);
      const to = Math.min(w - 1, x + r);
      for (let i = from; i <= to; i++) s += kernel[i - x + r] * plane[row + i];
      line[x] = s;
    }
    plane.set(line.subarray(0, w), row);
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let s = 0;
      const from = Math.max(rowsFrom, y - r);
      const to = Math.min(rowsTo - 1, y + r);
      for (let i = from; i <= to; i++) s += kernel[i - y + r] * plane[i * w + x];
      line[y] = s;
    }
    for (let y = 0; y < h; y++) plane[y * w + x] = line[y];
  }
}

/** The frame in focus at each pixel: the depth of the nearest layer covering at least half of it, rounded. */
function trueIndices(scene: Scene, frames: number): Uint16Array {
  const n = scene.width * scene.height;
  const out = new Uint16Array(n);
  const nearest = new Float32Array(n).fill(-Infinity);
  for (const layer of scene.layers) {
    for (let p = 0; p < n; p++) if (layer.alpha[p] >= 0.5 && layer.depth[p] >= nearest[p]) nearest[p] = layer.depth[p];
  }
  for (let p = 0; p < n; p++) out[p] = Math.min(frames - 1, Math.max(0, Math.round(nearest[p] === -Infinity ? 0 : nearest[p])));
  return out;
}

/**
 * The per-pixel oracle: each pixel taken from the frame of its true depth,
 * the best that any selection of whole pixels can do.
 *
 * @param stack - A rendered stack.
 * @returns An 8-bit RGB image.
 */
export function oracle(stack: RenderedStack): Image {
  const { width, height } = stack.truth;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const frame = stack.frames[stack.indices[p]].data;
    data[3 * p] = frame[3 * p];
    data[3 * p + 1] = frame[3 * p + 1];
    data[3 * p + 2] = frame[3 * p + 2];
  }
  return { width, height, channels: 3, data };
}

/**
 * A scene for the gather model: one texture seen through a depth map of
 * whole frame indices, with no layer in front of another.
 */
export interface GatherScene {
  /** A short name (the output folder). */
  readonly name: string;
  /** What the scene shows, one line. */
  readonly description: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** RGB samples on the 0..255 scale, interleaved, `width * height * 3`. */
  readonly color: Float32Array;
  /** The frame in focus at each pixel, 0 .. N-1, one a pixel. */
  readonly indices: Uint16Array;
}

/**
 * Render a scene by the gather model: frame k at pixel x is
 * `sum_y G_s(x - y) src(y)` with `s = blurPerFrame * |depth(x) - k|`, a
 * spatially varying Gaussian blur whose width depends on the depth of the
 * output pixel only. Nothing spreads across a depth edge onto a pixel that
 * is in focus, so wherever `depth(x) = k` frame k equals the truth exactly
 * and the per-pixel oracle is exact: a stack without occlusion. Computed by
 * blurring the whole texture once at each defocus that occurs (the depth is
 * a whole number of frames, so at most N - 1 blurs) and taking each pixel
 * from the blur of its defocus; near the image's edges the kernel is
 * renormalised over the pixels inside.
 *
 * @param scene - The texture and the depth map.
 * @param options - See {@link RenderOptions} (`slicesPerFrame` is not used).
 * @returns The stack; the truth is the texture rounded to 8 bits.
 */
export function renderGather(scene: GatherScene, options: RenderOptions = {}): RenderedStack {
  const { frames = RENDER_DEFAULTS.frames, blurPerFrame = RENDER_DEFAULTS.blurPerFrame } = options;
  if (!Number.isInteger(frames) || frames < 2 || frames > 256) throw new RangeError(`frames: expected an integer from 2 to 256 but received ${frames}`);
  if (!(blurPerFrame >= 0)) throw new RangeError(`blurPerFrame: expected a number of at least 0 but received ${blurPerFrame}`);
  const { width, height, color, indices } = scene;
  const n = width * height;
  if (color.length !== 3 * n || indices.length !== n) throw new RangeError(`scene ${scene.name}: expected ${3 * n} colour samples and ${n} depths`);
  const present = new Set<number>();
  for (let p = 0; p < n; p++) {
    if (indices[p] >= frames) throw new RangeError(`scene ${scene.name}: depth ${indices[p]} at pixel ${p} is not a frame of 0 .. ${frames - 1}`);
    present.add(indices[p]);
  }
  const source = toBytes(color);
  const truth: Image = { width, height, channels: 3, data: source };
  // blurs[d]: the texture blurred by the defocus of d frames, made when first needed.
  const blurs: (Uint8Array | undefined)[] = [source];
  const out: Image[] = [];
  for (let k = 0; k < frames; k++) {
    for (const level of present) {
      const d = Math.abs(level - k);
      blurs[d] ??= toBytes(gaussianBlur(color, width, height, blurPerFrame * d));
    }
    const data = new Uint8Array(3 * n);
    for (let p = 0; p < n; p++) {
      const from = blurs[Math.abs(indices[p] - k)] as Uint8Array;
      data[3 * p] = from[3 * p];
      data[3 * p + 1] = from[3 * p + 1];
      data[3 * p + 2] = from[3 * p + 2];
    }
    out.push({ width, height, channels: 3, data });
  }
  const depth: Image = { width, height, channels: 1, data: Uint8Array.from(indices, (i) => Math.round((255 * i) / (frames - 1))) };
  return { frames: out, truth, depth, indices: Uint16Array.from(indices) };
}

/** Round to 8 bits, clamped. */
function toBytes(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(samples[i])));
  return out;
}

/**
 * A Gaussian blur of interleaved RGB, truncated at 3 sigma and renormalised
 * over the pixels inside the image (a separable weight over a rectangle, so
 * the two passes may each renormalise). Sigma below 0.2 is a copy.
 */
function gaussianBlur(color: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma < 0.2) return Float32Array.from(color);
  const r = Math.ceil(3 * sigma);
  const kernel = gaussianKernel(sigma, r);
  const rows = new Float32Array(color.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const from = Math.max(0, x - r);
      const to = Math.min(width - 1, x + r);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let w = 0;
      for (let i = from; i <= to; i++) {
        const k = kernel[i - x + r];
        const q = row + 3 * i;
        s0 += k * color[q];
        s1 += k * color[q + 1];
        s2 += k * color[q + 2];
        w += k;
      }
      const q = row + 3 * x;
      rows[q] = s0 / w;
      rows[q + 1] = s1 / w;
      rows[q + 2] = s2 / w;
    }
  }
  const out = new Float32Array(color.length);
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const from = Math.max(0, y - r);
    const to = Math.min(height - 1, y + r);
    let w = 0;
    for (let j = from; j <= to; j++) w += kernel[j - y + r];
    const target = out.subarray(y * stride, (y + 1) * stride);
    for (let j = from; j <= to; j++) {
      const k = kernel[j - y + r] / w;
      const source = rows.subarray(j * stride, (j + 1) * stride);
      for (let i = 0; i < stride; i++) target[i] += k * source[i];
    }
  }
  return out;
}

/**
 * A scene of one continuous surface: one texture seen through a depth that
 * varies smoothly (in frames, any real number), with nothing in front of
 * anything.
 */
export interface SmoothScene {
  /** A short name (the output folder). */
  readonly name: string;
  /** What the scene shows, one line. */
  readonly description: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** RGB samples on the 0..255 scale, interleaved, `width * height * 3`. */
  readonly color: Float32Array;
  /** The depth at each pixel, in frames: from 0 to N - 1, one a pixel. */
  readonly depth: Float32Array;
}

/** Options of {@link renderSmooth}. */
export interface SmoothRenderOptions extends Omit<RenderOptions, 'slicesPerFrame'> {
  /**
   * The depth of field, in frames: a point within `dof / 2` of a frame's
   * focus plane is sharp in that frame, and the blur grows by
   * `blurPerFrame` a frame beyond. 1 is a stack shot at a focus step of
   * one depth of field, as focusing rails and stacking guides recommend:
   * every point is sharp in some frame.
   * @default 1
   */
  dof?: number;
}

/** Sigma is rounded to this step below 2 px, and to {@link COARSE_STEP} above. */
const FINE_STEP = 0.1;
const COARSE_STEP = 0.25;

/**
 * Render a continuous surface by the gather model with a depth of field:
 * frame k at pixel x is `sum_y G_s(x - y) src(y)` with
 * `s = blurPerFrame * max(0, |depth(x) - k| - dof / 2)`, rounded to 0.1 px
 * (0.25 px above 2 px). With `dof` 1, every pixel is exact in the frame
 * nearest its depth, so the per-pixel oracle is exact, and next to the
 * depth where the frame in focus changes both frames are all but sharp: the
 * stack a photographer shoots with a focus step of one depth of field.
 *
 * @param scene - The texture and the depth.
 * @param options - See {@link SmoothRenderOptions}.
 * @returns The stack; the truth is the texture rounded to 8 bits; the true
 *   index of a pixel is its depth rounded to the nearest frame.
 */
export function renderSmooth(scene: SmoothScene, options: SmoothRenderOptions = {}): RenderedStack {
  const { frames = RENDER_DEFAULTS.frames, blurPerFrame = RENDER_DEFAULTS.blurPerFrame, dof = 1 } = options;
  if (!Number.isInteger(frames) || frames < 2 || frames > 256) throw new RangeError(`frames: expected an integer from 2 to 256 but received ${frames}`);
  if (!(blurPerFrame >= 0)) throw new RangeError(`blurPerFrame: expected a number of at least 0 but received ${blurPerFrame}`);
  if (!(dof >= 0)) throw new RangeError(`dof: expected a number of at least 0 but received ${dof}`);
  const { width, height, color, depth } = scene;
  const n = width * height;
  if (color.length !== 3 * n || depth.length !== n) throw new RangeError(`scene ${scene.name}: expected ${3 * n} colour samples and ${n} depths`);
  for (let p = 0; p < n; p++) {
    if (!(depth[p] >= 0 && depth[p] <= frames - 1)) throw new RangeError(`scene ${scene.name}: depth ${depth[p]} at pixel ${p} is not within 0 .. ${frames - 1}`);
  }
  // The blur level of a defocus: sigma rounded to FINE_STEP below 2 px, COARSE_STEP above.
  const levelOf = (sigma: number): number => (sigma < 2 ? Math.round(sigma / FINE_STEP) : Math.round(2 / FINE_STEP) + Math.round((sigma - 2) / COARSE_STEP));
  const sigmaOf = (level: number): number => (level <= 2 / FINE_STEP ? level * FINE_STEP : 2 + (level - 2 / FINE_STEP) * COARSE_STEP);
  const source = toBytes(color);
  const blurs = new Map<number, Uint8Array>([[0, source]]);
  const out: Image[] = [];
  const levels = new Int32Array(n);
  for (let k = 0; k < frames; k++) {
    for (let p = 0; p < n; p++) levels[p] = levelOf(blurPerFrame * Math.max(0, Math.abs(depth[p] - k) - dof / 2));
    for (const level of new Set(levels)) if (!blurs.has(level)) blurs.set(level, toBytes(gaussianBlur(color, width, height, sigmaOf(level))));
    const data = new Uint8Array(3 * n);
    for (let p = 0; p < n; p++) {
      const from = blurs.get(levels[p]) as Uint8Array;
      data[3 * p] = from[3 * p];
      data[3 * p + 1] = from[3 * p + 1];
      data[3 * p + 2] = from[3 * p + 2];
    }
    out.push({ width, height, channels: 3, data });
  }
  const indices = Uint16Array.from(depth, (d) => Math.min(frames - 1, Math.max(0, Math.round(d))));
  const depthImage: Image = { width, height, channels: 1, data: Uint8Array.from(indices, (i) => Math.round((255 * i) / (frames - 1))) };
  return { frames: out, truth: { width, height, channels: 3, data: source }, depth: depthImage, indices };
}
