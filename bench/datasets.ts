/**
 * Where the bench scripts find the pcb frames: `--dir` if given, else the
 * shared dataset beside the repository (`../shared/datasets/pcb` from its
 * root, as in CI and for sessions), else the frames in `fixtures/pcb`.
 * Resolved from this file, so it works wherever the clone lies.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `path` relative to the repository root (this file runs from dist/bench/). */
export const fromRoot = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The shared pcb dataset (7 frames of 3 MP), beside the repository. */
export const SHARED_PCB = fromRoot('../shared/datasets/pcb');

/** The pcb frames among the fixtures (4 of the 7). */
export const FIXTURE_PCB = fromRoot('fixtures/pcb');

/**
 * The folder of the pcb frames.
 *
 * @param dir - A folder asked for (`--dir`); it must exist.
 * @returns `dir`, else {@link SHARED_PCB} if present, else {@link FIXTURE_PCB}.
 * @throws Error naming the folders looked at when none exists.
 */
export function pcbDir(dir?: string): string {
  const candidates = dir ? [dir] : [SHARED_PCB, FIXTURE_PCB];
  const found = candidates.find((d) => existsSync(d));
  if (found === undefined) throw new Error(`pcb frames not found: looked in ${candidates.join(', ')} (give the folder with --dir)`);
  return found;
}

/**
 * The JPEG frames of a folder, sorted by name.
 *
 * @param dir - The folder.
 * @returns Their paths.
 * @throws Error when it holds none.
 */
export function jpegFrames(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no JPEG frames in ${dir}`);
  return files;
}
