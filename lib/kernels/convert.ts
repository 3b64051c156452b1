/**
 * Conversions between the sample types of images and the float32 the
 * methods work in, and the page-touching that lets threads share the cost
 * of mapping fresh memory.
 */

/** Any typed array a kernel writes. */
export type Writable = Float32Array | Uint8Array | Uint16Array;

/**
 * Write a zero into every 4 KiB page of `buffer[p0..p1)`, so that the cost of
 * mapping fresh memory (3 ms per MB on the machines measured) is paid by the
 * thread that runs this, in parallel with others.
 *
 * @param buffer - A typed array not yet written to.
 * @param p0 - First element.
 * @param p1 - Element after the last.
 */
export function touchPages(buffer: Writable, p0 = 0, p1 = buffer.length): void {
  const step = 4096 / buffer.BYTES_PER_ELEMENT;
  for (let i = p0; i < p1; i += step) buffer[i] = 0;
}

/**
 * A mask as samples: `mask * max` (0/1 masks give 0 and max).
 *
 * @param mask - Weights in [0, 1].
 * @param out - 8- or 16-bit samples, as many.
 * @param p0 - First sample.
 * @param p1 - Sample after the last.
 */
export function maskToSamples(mask: Float32Array | Uint8Array, out: Uint8Array | Uint16Array, p0 = 0, p1 = mask.length): void {
  const max = out instanceof Uint8Array ? 255 : 65535;
  for (let i = p0; i < p1; i++) out[i] = mask[i] * max;
}
