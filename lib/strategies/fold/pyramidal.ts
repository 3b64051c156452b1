/**
 * What the pyramid methods share: the sizes of the levels, building a
 * frame's Laplacian pyramid with buffers of the run, and collapsing a fused
 * pyramid into 8- or 16-bit samples.
 */
import type { FloatImage, Image } from '../../image.js';
import { addUpClip } from '../../kernels/fold.js';
import { laplacianPyramid } from '../../pipeline.js';
import type { FoldInfo } from './fold.js';

/** The size of a pyramid level. */
export interface LevelSize {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/**
 * Width and height of each level, finest first (`ceil` halving, as pyrDown).
 *
 * @param width - Width of level 0.
 * @param height - Height of level 0.
 * @param levels - Number of levels.
 * @returns The sizes.
 */
export function levelSizes(width: number, height: number, levels: number): LevelSize[] {
  const sizes: LevelSize[] = [{ width, height }];
  for (let k = 1; k < levels; k++) {
    const { width: w, height: h } = sizes[k - 1];
    sizes.push({ width: (w + 1) >> 1, height: (h + 1) >> 1 });
  }
  return sizes;
}

/**
 * The Laplacian pyramid of a frame (docs/DIFFERENCES.md 1.5); the frame's buffer becomes
 * level 0, the coarser levels are buffers of the run.
 *
 * @param frame - The frame; consumed.
 * @param info - The run.
 * @returns The levels, finest first.
 */
export async function framePyramid(frame: FloatImage, info: FoldInfo): Promise<FloatImage[]> {
  const pyramid = await laplacianPyramid(frame, info.levels, info.exec);
  info.buffers.adopt(...pyramid.slice(1).map((level) => level.data));
  return pyramid;
}

/**
 * Collapse a fused pyramid, `C_k = F_k + pyrUp(C_{k+1})`, and clip the
 * finest level to samples (truncated, as the seed). The coarser levels are
 * overwritten.
 *
 * @param fused - The fused levels, finest first.
 * @param info - The run.
 * @param sixteen - 16-bit samples (else 8-bit).
 * @returns The image, in plain typed arrays.
 */
export async function collapsePyramid(fused: readonly FloatImage[], info: FoldInfo, sixteen: boolean): Promise<Image> {
  for (let k = fused.length - 2; k >= 1; k--) await info.exec.pyrUpApply(fused[k + 1], fused[k], 'add');
  const { width, height, channels, data } = fused[0];
  const out = sixteen ? new Uint16Array(data.length) : new Uint8Array(data.length);
  addUpClip(fused[0], fused.length > 1 ? fused[1] : undefined, out, sixteen ? 65535 / 255 : 1);
  return { width, height, channels: channels as 1 | 3, data: out };
}
