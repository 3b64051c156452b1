/**
 * Calling into OpenCV.js. A failed OpenCV.js call throws a bare number (a
 * pointer to a C++ exception); {@link cvCall} turns it into an `Error` that
 * names the operation and carries OpenCV's own message.
 */
import { cv } from './runtime.js';

/** An OpenCV.js call failed. */
export class OpenCVError extends Error {
  /** The wrapper that failed (`medianBlur`). */
  readonly operation: string;
  constructor(operation: string, message: string) {
    super(`${operation}: ${message}`);
    this.name = 'OpenCVError';
    this.operation = operation;
  }
}

/**
 * Run `fn`, turning an OpenCV.js exception into an {@link OpenCVError}.
 *
 * Each exception that reaches JavaScript leaks WebAssembly stack, so the
 * wrappers validate their inputs first: this is the last line of defence,
 * not control flow.
 *
 * @param operation - Name of the wrapper, for the message.
 * @param fn - The OpenCV.js call.
 * @returns What `fn` returns.
 * @throws OpenCVError when OpenCV.js throws.
 */
export function cvCall<T>(operation: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translate(operation, error);
  }
}

function translate(operation: string, error: unknown): Error {
  if (typeof error === 'number') {
    let message = `OpenCV exception ${error}`;
    try {
      const exc = (cv() as unknown as { exceptionFromPtr(p: number): { msg?: string } }).exceptionFromPtr(error);
      if (exc?.msg) message = exc.msg.trim();
    } catch {
      // keep the numeric message
    }
    return new OpenCVError(operation, message);
  }
  if (error instanceof Error) return new OpenCVError(operation, error.message);
  return new OpenCVError(operation, String(error));
}
