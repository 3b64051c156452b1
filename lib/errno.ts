/**
 * What a file system error code means, in the words of the one-line errors
 * of the file layer (`lib/io.ts`) and the command line. Internal: not part
 * of the public API.
 */

/** Errno codes and their meaning. */
const PROBLEMS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMLINK: 'too many links',
};

/**
 * The meaning of a file system error, or `otherwise` when its code is not one of the known ones.
 *
 * @param error - What a file system call threw.
 * @param otherwise - The words to use for any other error.
 * @returns The words, e.g. `permission denied`.
 */
export function errnoProblem(error: unknown, otherwise: (error: unknown) => string): string {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && PROBLEMS[code]) || otherwise(error);
}
