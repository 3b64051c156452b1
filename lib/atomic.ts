/**
 * Files written whole or not at all (Node only): the bytes go to a temporary
 * file next to the target, which is renamed over it. The temporary files of
 * writes in progress are known, so that a signal handler can remove them
 * ({@link removeTemporaryFiles}). Internal: `saveImage` and the command line's
 * text outputs write through it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary files of {@link writeAtomically} calls in progress. */
const temporaryFiles = new Set<string>();

/**
 * Write `bytes` to `path` atomically: to a new temporary file in the same
 * directory (`.NAME.PID.RANDOM.tmp`), flushed, then renamed over `path`.
 *
 * @param path - The file to write; an existing file is replaced.
 * @param bytes - The contents.
 * @throws The file system's error, once the temporary file is removed.
 */
export async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeAllAtomically([{ path, bytes }]);
  } catch (error) {
    throw error instanceof AtomicWriteError ? error.cause : error;
  }
}

/** A failure of {@link writeAllAtomically}: which file, and the file system's error. */
export class AtomicWriteError extends Error {
  /** The file that could not be written. */
  readonly path: string;

  /**
   * @param path - The file that could not be written.
   * @param cause - The file system's error.
   */
  constructor(path: string, cause: unknown) {
    super(`cannot write ${JSON.stringify(path)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'AtomicWriteError';
    this.path = path;
  }
}

/**
 * Write several files all or nothing, as far as a file system allows: each
 * to a temporary file next to it (flushed), and only once all of them are
 * written, rename each over its target. A failure while writing (no space,
 * no permission, a folder gone) leaves none of the targets touched; only a
 * failing rename, which is rare, can leave the earlier ones renamed.
 *
 * @param files - The files, renamed in this order.
 * @throws AtomicWriteError naming the file, once every temporary file is removed.
 */
export async function writeAllAtomically(files: readonly { path: string; bytes: Uint8Array | string }[]): Promise<void> {
  const temps: string[] = [];
  let current = '';
  try {
    for (const { path, bytes } of files) {
      current = path;
      const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      temporaryFiles.add(temp);
      temps.push(temp);
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        await testHold();
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [i, { path }] of files.entries()) {
      current = path;
      await rename(temps[i], path);
      temporaryFiles.delete(temps[i]);
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true }).catch(() => undefined)));
    throw new AtomicWriteError(current, error);
  } finally {
    for (const temp of temps) temporaryFiles.delete(temp);
  }
}

/**
 * Remove, at once and synchronously, the temporary file of every
 * `saveImage` call (and every other atomic write) still in progress in this
 * process (for a signal handler that is about to end the process; the calls
 * themselves then fail).
 *
 * @returns The paths of the temporary files (removed, or already gone).
 * @throws Nothing: a file that cannot be removed is skipped.
 */
export function removeTemporaryFiles(): string[] {
  const paths = [...temporaryFiles];
  for (const temp of paths) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing better to do while the process ends.
    }
  }
  temporaryFiles.clear();
  return paths;
}

/**
 * For tests only: with the environment variable FOCUS_STACKING_TEST_HOLD_WRITE_MS
 * set to a number of milliseconds, every temporary file is held that long
 * before it is renamed, so that a test can interrupt a run while it writes.
 */
async function testHold(): Promise<void> {
  const ms = Number(process.env.FOCUS_STACKING_TEST_HOLD_WRITE_MS);
  if (ms > 0) await new Promise((done) => setTimeout(done, ms));
}
