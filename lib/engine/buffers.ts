/**
 * The buffers of one run: a run works through an executor session
 * (`Executor.session`), whose `Lease` holds every array taken through it and
 * gives back whatever is still out when the session ends, whatever happened.
 * {@link runBuffers} is that lease as the methods see it ({@link RunBuffers}).
 */
import type { Lease } from '../kernels/pool.js';
import type { RunBuffers } from '../strategies/fold/fold.js';

/**
 * The {@link RunBuffers} of a run: the arrays come from the run's session
 * lease, `free` gives them back at once, and the rest goes back when the
 * session ends. `adopt` has nothing to do: every array taken through the
 * run's executor (`info.exec`, `context.exec`) is the lease's already.
 *
 * @param lease - The run's session's pool (`session.pool`).
 * @returns The buffers of the run.
 */
export function runBuffers(lease: Lease): RunBuffers {
  return {
    float32: (length, transient) => lease.float32(length, transient),
    uint8: (length, transient) => lease.uint8(length, transient),
    uint16: (length, transient) => lease.uint16(length, transient),
    adopt: () => undefined,
    free: (...arrays) => lease.release(...arrays),
  };
}
