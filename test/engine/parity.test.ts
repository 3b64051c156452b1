// The gradient method at N = 2 is the seed's all_channels output (docs/DIFFERENCES.md 1.2,
// 1.5): compared with the references made by the Python/OpenCV script.
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackFrames } from '../../lib/engine/stack.js';
import { fixture, readPng } from '../helpers/files.js';
import { assertImageClose } from '../helpers/compare.js';

const cases = readdirSync(fixture('.')).filter((name) => name.startsWith('pcb-'));

test('the parity cases are there', () => {
  assert.equal(cases.length, 4);
});

for (const name of cases) {
  test(`${name}: stackFrames([back, front], gradient) is the seed's all_channels`, async () => {
    const back = readPng(readFileSync(fixture(`${name}/input/back.png`)));
    const front = readPng(readFileSync(fixture(`${name}/input/front.png`)));
    const expected = readPng(readFileSync(fixture(`${name}/expected/focus_stacked_all_channels.png`)));
    const { image, report } = await stackFrames([back, front], { align: false, method: 'gradient' });
    assertImageClose(image, expected, {}, `${name} gradient`);
    assert.is(report.method, 'gradient');
    // The order of the frames does not matter.
    const swapped = await stackFrames([front, back], { align: false, method: 'gradient' });
    assertImageClose(swapped.image, expected, {}, `${name} gradient, swapped`);
  });
}

test.run();
