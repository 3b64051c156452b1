/**
 * The output folder, made ready before any image is read: no output may
 * replace an input or a directory, the folder is created one level at a
 * time (never with a recursive mkdir, which spins forever on procfs) and its
 * writability is proven by creating and removing a probe file. The
 * directories a run creates are recorded, so that a failed or interrupted
 * run removes them again.
 */
import { randomBytes } from 'node:crypto';
import { rmdirSync, rmSync } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rm, stat } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { fileError } from './command.js';
import { errnoProblem } from '../errno.js';
import { errorText } from './flags.js';

/** The directories this run has created, outermost first. */
const createdDirectories: string[] = [];

function problem(error: unknown): string {
  return errnoProblem(error, errorText);
}

/**
 * Make `dir` a writable directory: create what is missing, one level at a
 * time, and create and remove a probe file in it.
 *
 * @param dir - The `--output` value.
 * @param flag - How to name it in messages (`--output "out"`).
 * @throws CliError (failure) naming the problem: not a directory, a dangling
 *   symbolic link, permission denied, read-only file system, a file system
 *   where nothing can be created...; the directories created so far are removed.
 */
export async function prepareOutputDir(dir: string, flag: string): Promise<void> {
  const target = trimSlash(normalize(dir));
  const missing: string[] = [];
  for (let path = target; ; path = dirname(path)) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) throw fileError(path === target ? `${flag}: not a directory` : `${flag}: "${path}" is not a directory`);
      break;
    }
    if (info.code === 'ENOENT') {
      const link = await lstat(path).catch(() => undefined);
      if (link?.isSymbolicLink()) {
        const to = await readlink(path).catch(() => '?');
        throw fileError(`${flag}: ${path === target ? '' : `"${path}" is `}a dangling symbolic link (to "${to}")`);
      }
    } else if (info.code !== 'ENOTDIR') {
      throw fileError(`${flag}: ${problem(info)}${info.code === 'EACCES' ? ` (cannot enter "${dirname(path)}")` : ''}`);
    }
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) {
    try {
      await mkdir(path);
    } catch (error) {
      removeCreatedDirectories();
      const code = (error as NodeJS.ErrnoException).code;
      // The parent exists (it was there, or was just made): ENOENT means that this
      // file system takes no new directories (procfs).
      const why = code === 'ENOENT' ? 'this file system does not allow it' : problem(error);
      throw fileError(`${flag}: cannot create "${path}": ${why}`);
    }
    createdDirectories.push(path);
  }
  probe = join(target, `.focus-stacking-probe.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    removeCreatedDirectories();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'cannot create files there: this file system does not allow it' : `cannot write there: ${problem(error)}`;
    throw fileError(`${flag}: ${why}`);
  }
  await rm(probe, { force: true });
  probe = undefined;
}

/** The probe file while it exists (for a signal that comes then). */
let probe: string | undefined;

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
}

/**
 * Remove, synchronously, the probe file if it exists, then the directories
 * this run created, innermost first, each only if empty (a non-recursive
 * rmdir never removes anything else). For a failed or interrupted run.
 */
export function removeCreatedDirectories(): void {
  try {
    if (probe !== undefined) rmSync(probe, { force: true });
  } catch {
    // Leave it: the directory it is in then stays too.
  }
  probe = undefined;
  for (const dir of createdDirectories.splice(0).reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (outputs were written) or already gone: leave it.
    }
  }
}

/** Forget the directories this run created: it succeeded, they stay. */
export function keepCreatedDirectories(): void {
  createdDirectories.length = 0;
}

/**
 * Refuse when an output file would replace an input (compared by real path,
 * so through symbolic links) or is a directory.
 *
 * @param inputs - The input files.
 * @param outputs - The output files.
 * @throws CliError (failure) naming the output.
 */
export async function checkNoInputOverwritten(inputs: readonly string[], outputs: readonly string[]): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => undefined);
  const inputPaths = new Set((await Promise.all(inputs.map(real))).filter((p) => p !== undefined));
  for (const path of outputs) {
    const target = await real(path);
    if (target === undefined) continue;
    if (inputPaths.has(target)) throw fileError(`refusing to overwrite the input "${path}" with an output; choose another --output or --format`);
    if ((await stat(target)).isDirectory()) throw fileError(`cannot write "${path}": is a directory`);
  }
}
