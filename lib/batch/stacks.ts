/**
 * Which stacks a list of folders holds (Node only): each folder is one stack
 * (its images in name order), and a single folder that holds no image but
 * subfolders with images is one stack per subfolder. A stack is named after
 * its folder; its results are `OUT_DIR/NAME.<format>` and `OUT_DIR/NAME-depth.png`.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { EXTENSION_LIST, formatOfPath } from '../formats.js';

/** One stack found by {@link listStacks}: a folder and its frames (or why it cannot be stacked). */
export interface StackFolder {
  /** The folder's name: the stack's name, and its results' base name. */
  readonly name: string;
  /** The folder, as given (or joined to the folder given). */
  readonly dir: string;
  /** Its images in name order (paths under `dir`); empty when `problem` is set. */
  readonly frames: readonly string[];
  /** Why it is not a stack (no images, one image, unreadable), one line; undefined when it is one. */
  readonly problem?: string;
}

/** A stack that cannot be run as given: a folder without two images, a missing frame. Bad input: never retried. */
export class StackInputError extends Error {
  /** `'StackInputError'`. */
  override name = 'StackInputError';
}

/** The images of a folder (regular files with an image extension, not hidden), sorted by name. */
export async function imagesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || formatOfPath(entry.name) === undefined) continue;
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(join(dir, entry.name)).then((s) => s.isFile(), () => false)));
    if (isFile) names.push(entry.name);
  }
  return names.sort().map((name) => join(dir, name));
}

/** The stack of one folder: its images, or the problem. */
async function stackOf(dir: string, name = basename(resolve(dir))): Promise<StackFolder> {
  let frames: string[];
  try {
    frames = await imagesOf(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return { name, dir, frames: [], problem: `${JSON.stringify(dir)}: ${why}` };
  }
  if (frames.length === 0) return { name, dir, frames, problem: `folder ${JSON.stringify(dir)} has no images (${EXTENSION_LIST})` };
  if (frames.length === 1) return { name, dir, frames: [], problem: `folder ${JSON.stringify(dir)} has one image only; two or more are needed` };
  return { name, dir, frames };
}

/** Options of {@link listStacks}. */
export interface ListStacksOptions {
  /**
   * A folder never taken as a stack (the output folder, when it lies inside the folder of stacks).
   */
  exclude?: string;
}

/**
 * The stacks that folders hold. Each folder is one stack; a single folder
 * that holds no image is one stack per subfolder that holds images (in name
 * order; hidden subfolders, subfolders without images and `exclude` left out).
 *
 * @param dirs - The folders, as given.
 * @param options - See {@link ListStacksOptions}.
 * @returns The stacks in order; a folder that is no stack has a `problem`.
 * @throws StackInputError when two stacks would have the same name (their results would collide),
 *   or a single folder holds neither images nor subfolders with images.
 */
export async function listStacks(dirs: readonly string[], options: ListStacksOptions = {}): Promise<StackFolder[]> {
  let stacks: StackFolder[];
  if (dirs.length === 1) {
    const only = await stackOf(dirs[0]);
    if (only.frames.length === 0 && (await imagesOf(dirs[0]).then((f) => f.length === 0, () => false))) {
      const exclude = options.exclude === undefined ? undefined : resolve(options.exclude);
      const entries = await readdir(dirs[0], { withFileTypes: true });
      const subs: StackFolder[] = [];
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const dir = join(dirs[0], entry.name);
        if (entry.name.startsWith('.') || resolve(dir) === exclude) continue;
        if (!(entry.isDirectory() || (entry.isSymbolicLink() && (await stat(dir).then((s) => s.isDirectory(), () => false))))) continue;
        const sub = await stackOf(dir, entry.name);
        if (sub.frames.length > 0 || sub.problem?.includes('one image only')) subs.push(sub);
      }
      if (subs.length === 0) throw new StackInputError(`folder ${JSON.stringify(dirs[0])} has no images (${EXTENSION_LIST}) and no subfolders with images`);
      stacks = subs;
    } else stacks = [only];
  } else stacks = await Promise.all(dirs.map((dir) => stackOf(dir)));
  const seen = new Map<string, string>();
  for (const { name, dir } of stacks) {
    const other = seen.get(name);
    if (other !== undefined) throw new StackInputError(`folders ${JSON.stringify(other)} and ${JSON.stringify(dir)} have the same name "${name}": their results would be the same files`);
    seen.set(name, dir);
  }
  return stacks;
}
