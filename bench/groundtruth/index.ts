/**
 * Ground-truth focus stacks in memory: every scene rendered from the photos,
 * with its kind (`smooth`: a continuous surface with a depth of field of one
 * frame, so every pixel is sharp in the frame nearest its depth, the stack
 * a photographer shoots; `stepped`: the gather model on depths of whole
 * frames with steps between them, each pixel exact in the frame of its
 * depth but a seam of blur beside every step in the others; `occlusion`:
 * the scatter model, where out-of-focus layers spread over their
 * neighbours), frames,
 * truth, depth map and the band around its depth jumps. For bench scripts
 * that stack and evaluate without writing files; `bench/render.ts` writes
 * them out.
 */
import { fileURLToPath } from 'node:url';
import { bandAroundEdges, loadImage, type CodecName, type Image } from '../../lib/index.js';
import { renderGather, renderSmooth, renderStack, RENDER_DEFAULTS, type RenderedStack } from './render.js';
import { blobsScene, customScene, hillsScene, slopeScene, occlusionScene, rampScene, stepsGatherScene, stepsScene, terracesScene, textureFromPhoto, type Texture } from './scenes.js';

/** The scenes, in their default order, and their kind. */
export const SCENE_KINDS = {
  slope: 'smooth',
  hills: 'smooth',
  terraces: 'stepped',
  blobs: 'stepped',
  'steps-gather': 'stepped',
  ramp: 'occlusion',
  steps: 'occlusion',
  occlusion: 'occlusion',
  custom: 'occlusion',
} as const;

/** A scene's name. */
export type SceneName = keyof typeof SCENE_KINDS;

/** Whether a scene has occlusion (see the module's description). */
export type SceneKind = (typeof SCENE_KINDS)[SceneName];

/** Image sizes: `full` for the figures, `quick` for quick runs. */
export const SIZES = {
  full: { width: 1024, height: 768 },
  quick: { width: 512, height: 384 },
} as const;

/** A photo among the repository's fixtures. */
export const fixturePhoto = (name: string): string => fileURLToPath(new URL(`../../../fixtures/pcb/${name}`, import.meta.url));

/** Options of {@link renderScenes}. */
export interface GroundTruthOptions {
  /**
   * Width of the scenes (the custom scene has its depth map's size).
   * @default 1024 (SIZES.quick is 512x384)
   */
  width?: number;
  /**
   * Height of the scenes.
   * @default 768
   */
  height?: number;
  /**
   * Frames in each stack, N.
   * @default 8
   */
  frames?: number;
  /**
   * Which scenes, in this order (`custom` needs `depthMap`).
   * @default every scene but custom
   */
  scenes?: readonly SceneName[];
  /**
   * Blur, in px of standard deviation, a frame of defocus.
   * @default 1.5
   */
  blurPerFrame?: number;
  /**
   * Depth slices a frame, for the scatter model.
   * @default 4
   */
  slicesPerFrame?: number;
  /**
   * Radius in px of the band around depth jumps of more than one frame.
   * @default 24
   */
  band?: number;
  /**
   * Border in px left out of the figures (a band only outside it is dropped).
   * @default 16
   */
  border?: number;
  /**
   * The main texture's photo.
   * @default fixtures/pcb/pcb_004.jpg
   */
  photo?: string;
  /**
   * The second texture's photo (the blobs scene), turned half a turn.
   * @default fixtures/pcb/pcb_007.jpg
   */
  secondPhoto?: string;
  /**
   * The photo of the occlusion scene's near objects, turned half a turn.
   * @default fixtures/pcb/pcb_001.jpg
   */
  object?: string;
  /** The depth map of the custom scene (gray; 0 .. max is depth 0 .. N-1). */
  depthMap?: string;
  /** The codec to read the photos with. */
  codec?: CodecName;
}

/** The defaults of {@link GroundTruthOptions}. */
export const GROUNDTRUTH_DEFAULTS = {
  ...SIZES.full,
  frames: RENDER_DEFAULTS.frames,
  blurPerFrame: RENDER_DEFAULTS.blurPerFrame,
  slicesPerFrame: RENDER_DEFAULTS.slicesPerFrame,
  band: 24,
  border: 16,
  scenes: ['slope', 'hills', 'terraces', 'blobs', 'steps-gather', 'ramp', 'steps', 'occlusion'] as readonly SceneName[],
} as const;

/** A rendered scene. */
export interface GroundTruth {
  /** The scene's name. */
  readonly name: SceneName;
  /** Whether it has occlusion. */
  readonly kind: SceneKind;
  /** What it shows, one line. */
  readonly description: string;
  /** The photo of its texture (the background's, for occlusion). */
  readonly photo: string;
  /** The N frames, 8-bit RGB; frame i is focused at depth i. */
  readonly frames: Image[];
  /** The all-in-focus truth, 8-bit RGB. */
  readonly truth: Image;
  /** The true depth: 8-bit gray, frame i stored as `round(255 i / (N - 1))`. */
  readonly depth: Image;
  /** The true frame index of each pixel. */
  readonly indices: Uint16Array;
  /** 1 within `band` px of depth jumps of more than one frame, else 0; absent when there are none inside the border. */
  readonly band?: Uint8Array;
  /** The share of the pixels inside the border that the band holds (0 without a band). */
  readonly bandShare: number;
}

/**
 * Render the scenes one at a time (so only one is held at once).
 *
 * @param options - See {@link GroundTruthOptions}.
 * @returns The scenes, in the order asked.
 * @throws Error for an unknown scene, custom without a depth map, or a bad size.
 */
export async function* eachScene(options: GroundTruthOptions = {}): AsyncGenerator<GroundTruth> {
  const d = GROUNDTRUTH_DEFAULTS;
  const { width = d.width, height = d.height, frames = d.frames, scenes = d.scenes, blurPerFrame = d.blurPerFrame, slicesPerFrame = d.slicesPerFrame, band: radius = d.band, border = d.border, codec } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) throw new RangeError(`size: expected integers of at least 16 but received ${width}x${height}`);
  for (const name of scenes) if (!Object.hasOwn(SCENE_KINDS, name)) throw new RangeError(`scenes: expected ${Object.keys(SCENE_KINDS).join(', ')} but received "${name}"`);
  if (scenes.includes('custom') && options.depthMap === undefined) throw new RangeError('scenes: custom needs a depth map');
  const photo = options.photo ?? fixturePhoto('pcb_004.jpg');
  const secondPhoto = options.secondPhoto ?? fixturePhoto('pcb_007.jpg');
  const object = options.object ?? fixturePhoto('pcb_001.jpg');
  const photos = new Map<string, Image>();
  const texture = async (path: string, w = width, h = height, rotate = false): Promise<Texture> => {
    let image = photos.get(path);
    if (image === undefined) photos.set(path, (image = await loadImage(path, { codec })));
    return textureFromPhoto(image, w, h, rotate);
  };
  const render = { frames, blurPerFrame, slicesPerFrame };
  for (const name of scenes) {
    let stack: RenderedStack;
    let description: string;
    let source = photo;
    switch (name) {
      case 'slope':
      case 'hills': {
        if (name === 'hills') source = secondPhoto;
        const t = await texture(source, width, height, name === 'hills');
        const scene = name === 'slope' ? slopeScene(t, frames) : hillsScene(t, frames);
        stack = renderSmooth(scene, { frames, blurPerFrame });
        description = scene.description;
        break;
      }
      case 'terraces':
      case 'steps-gather':
      case 'blobs': {
        if (name === 'blobs') source = secondPhoto;
        const t = await texture(source, width, height, name === 'blobs');
        const scene = name === 'terraces' ? terracesScene(t, frames) : name === 'blobs' ? blobsScene(t, frames) : stepsGatherScene(t, frames);
        stack = renderGather(scene, render);
        description = scene.description;
        break;
      }
      default: {
        const scene =
          name === 'ramp'
            ? rampScene(await texture(photo), frames)
            : name === 'steps'
              ? stepsScene(await texture(photo), frames)
              : name === 'occlusion'
                ? occlusionScene(await texture(photo), await texture(object, width, height, true), frames)
                : await (async () => {
                    const map = await loadImage(options.depthMap as string, { codec });
                    return customScene(await texture(photo, map.width, map.height), map, frames);
                  })();
        stack = renderStack(scene, render);
        description = scene.description;
      }
    }
    const { width: w, height: h } = stack.truth;
    const mask = bandAroundEdges(stack.indices, w, h, radius);
    let inside = 0;
    for (let y = border; y < h - border; y++) for (let x = border; x < w - border; x++) inside += mask[y * w + x];
    const bandShare = inside / Math.max(1, (w - 2 * border) * (h - 2 * border));
    yield { name, kind: SCENE_KINDS[name], description, photo: source, ...stack, ...(inside > 0 ? { band: mask } : {}), bandShare };
  }
}

/**
 * Render the scenes, all held in memory.
 *
 * @param options - See {@link GroundTruthOptions}; `{ ...SIZES.quick }` for a quick run.
 * @returns The scenes, in the order asked.
 */
export async function renderScenes(options: GroundTruthOptions = {}): Promise<GroundTruth[]> {
  const out: GroundTruth[] = [];
  for await (const scene of eachScene(options)) out.push(scene);
  return out;
}

export { oracle } from './render.js';
