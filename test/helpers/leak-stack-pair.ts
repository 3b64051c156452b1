/**
 * Child process of the leak test: `node --expose-gc leak-stack-pair.js THREADS CALLS`
 * runs stackPair CALLS times on the 640x480 parity pair and prints the
 * {@link Growth} as JSON.
 */
import { loadImage } from '../../lib/io.js';
import { closeExecutors } from '../../lib/parallel/index.js';
import { stackPair } from '../../lib/stack.js';
import { fixture } from './files.js';
import { memoryGrowth } from './leak.js';

const [threads, calls] = process.argv.slice(2).map(Number);
const back = await loadImage(fixture('pcb-640x480/input/back.png'));
const front = await loadImage(fixture('pcb-640x480/input/front.png'));
const growth = await memoryGrowth(() => stackPair(back, front, { threads }), calls);
await closeExecutors();
process.stdout.write(`${JSON.stringify(growth)}\n`);
