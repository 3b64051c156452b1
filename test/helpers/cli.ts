/**
 * Helpers for the command-line tests: run `main` in-process with captured
 * streams, make scratch directories, list them, and decode PNG files with
 * jimp directly (never with the code under test).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Jimp } from 'jimp';
import { main } from '../../lib/cli.js';
import type { Pixels } from './compare.js';

/** What one run of the command line did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `focus-stacking` with `args`, capturing stdout and stderr. */
export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

const scratch: string[] = [];

/** A new empty directory, removed by {@link removeScratch}. */
export async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'focus-stacking-cli-'));
  scratch.push(dir);
  return dir;
}

/** Remove every directory made by {@link scratchDir}. */
export async function removeScratch(): Promise<void> {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every file and directory under `dir` (hidden ones included), relative, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((e) => relative(dir, join(dir, e))).sort();
}

/** Decode a PNG file with jimp: RGB samples (a grayscale file gives R = G = B), and whether the file is grayscale. */
export async function readPng(path: string): Promise<Pixels & { gray: boolean }> {
  const bytes = await readFile(path);
  const colourType = bytes[25]; // IHDR: 0 gray, 2 RGB, 4 gray+alpha, 6 RGBA
  const { width, height, data } = (await Jimp.read(bytes)).bitmap;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgb[i] = data[j];
    rgb[i + 1] = data[j + 1];
    rgb[i + 2] = data[j + 2];
  }
  return { width, height, channels: 3, data: rgb, gray: colourType === 0 || colourType === 4 };
}
