// DIFFERENCES.md section 3 through the API: every parity case, every output, with each
// codec that loads, against the references made by the Python/OpenCV script.
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CodecName } from '../lib/codecs/codec.js';
import { loadSharpCodec } from '../lib/codecs/sharp.js';
import { loadImage } from '../lib/io.js';
import { ALL_OUTPUTS, outputName, stackPair } from '../lib/stack.js';
import { fixture, readPng } from './helpers/files.js';
import { assertImageClose } from './helpers/compare.js';

const cases = readdirSync(fixture('.')).filter((name) => name.startsWith('pcb-'));
const codecs: CodecName[] = [CodecName.JIMP, ...((await loadSharpCodec()) ? [CodecName.SHARP] : [])];

test('the parity fixtures are all there', () => {
  assert.equal(cases.sort(), ['pcb-640x480', 'pcb-gray-256x192', 'pcb-odd-333x251', 'pcb-tiny-7x5']);
});

for (const name of cases) {
  for (const codec of codecs) {
    test(`${name}: all five outputs within tolerance (${codec} codec)`, async () => {
      const back = await loadImage(fixture(`${name}/input/back.png`), { codec });
      const front = await loadImage(fixture(`${name}/input/front.png`), { codec });
      const result = await stackPair(back, front);
      assert.equal(Object.keys(result).sort(), ALL_OUTPUTS.map(outputName).sort());
      for (const output of ALL_OUTPUTS) {
        const stem = outputName(output);
        const expected = readPng(readFileSync(fixture(`${name}/expected/${stem}.png`)));
        const actual = result[stem]!;
        assertImageClose(actual, expected, {}, `${name} ${stem}`);
      }
    });
  }
}

test.run();
