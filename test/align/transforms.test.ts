// The transforms file: a round trip, the exact layout, and one test per malformed field, each on its message and fields.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { identityTransform, parseTransforms, transformsToJSON, TransformsFileError, type TransformsFile } from '../../lib/align/transforms.js';

const sample = (): TransformsFile => ({
  version: 1,
  width: 2048,
  height: 1536,
  reference: 1,
  frames: [
    { file: 'a.jpg', matrix: [[1.01, 0.001, -7.5], [-0.001, 1.01, 3.25]], gain: [1.1, 1, 0.95], offset: [-8, 0, 2], correlation: 0.981 },
    { file: 'b.jpg', matrix: [[1, 0, 0], [0, 1, 0]], gain: [1, 1, 1], offset: [0, 0, 0], correlation: 1 },
    { file: 'c d.jpg', matrix: [[0.99, 0, 12], [0, 0.99, -4]], gain: [1, 1, 1], offset: [0, 0, 0], correlation: 0.97 },
  ],
});

test('round trip, and the documented layout: {"version":1,"width","height","reference","frames":[...]} in the given order', () => {
  const text = transformsToJSON(sample());
  assert.equal(parseTransforms(text, { frames: 3, width: 2048, height: 1536, channels: 3 }), sample());
  const raw = JSON.parse(text);
  assert.equal(Object.keys(raw), ['version', 'width', 'height', 'reference', 'frames']);
  assert.equal(Object.keys(raw.frames[0]), ['file', 'matrix', 'gain', 'offset', 'correlation']);
  assert.equal(raw.frames.map((f: { file: string }) => f.file), ['a.jpg', 'b.jpg', 'c d.jpg']);
  assert.ok(text.startsWith('{"version":1,"width":2048,"height":1536,"reference":1,"frames":[\n  {"file":"a.jpg","matrix":[[1.01,0.001,-7.5],[-0.001,1.01,3.25]],'), text);
  assert.ok(text.endsWith('\n]}\n'));
});

/** Parse `mutate(sample)` and expect a TransformsFileError on `parameter`. */
function rejects(label: string, mutate: (raw: Record<string, any>) => unknown, parameter: string, message: RegExp, expected = {}): void {
  const raw = JSON.parse(JSON.stringify(sample()));
  const replaced = mutate(raw);
  const text = typeof replaced === 'string' ? replaced : JSON.stringify(replaced ?? raw);
  try {
    parseTransforms(text, expected);
  } catch (error) {
    assert.instance(error, TransformsFileError, label);
    const e = error as TransformsFileError;
    assert.is(e.parameter, parameter, label);
    assert.match(e.message, message, label);
    assert.not.match(e.message, /\n/);
    assert.ok(e.message.startsWith('Invalid transforms file: expected '), e.message);
    return;
  }
  assert.unreachable(`${label}: accepted`);
}

test('each malformed field is named, with what was expected and what was received', () => {
  rejects('not JSON', () => '{"version":1,', 'the file', /expected JSON text for the file but received "/);
  rejects('not an object', () => '[1]', 'the file', /expected a JSON object for the file but received an array of length 1/);
  rejects('version', (r) => void (r.version = 2), 'version', /expected 1 for version but received 2 \(number\)/);
  rejects('version missing', (r) => void delete r.version, 'version', /received undefined/);
  rejects('width', (r) => void (r.width = 0), 'width', /expected a positive integer for width but received 0/);
  rejects('height', (r) => void (r.height = '1536'), 'height', /received "1536" \(string\)/);
  rejects('width mismatch', () => undefined, 'width', /expected 1024 \(the frames' width\) for width but received 2048/, { width: 1024 });
  rejects('height mismatch', () => undefined, 'height', /expected 768 \(the frames' height\) for height/, { height: 768 });
  rejects('frames', (r) => void (r.frames = []), 'frames', /expected a non-empty array for frames but received an array of length 0/);
  rejects('frame count', () => undefined, 'frames', /expected 4 frames \(one per input\) for frames but received an array of length 3/, { frames: 4 });
  rejects('reference range', (r) => void (r.reference = 3), 'reference', /expected an integer from 0 to 2 for reference but received 3/);
  rejects('reference type', (r) => void (r.reference = 0.5), 'reference', /received 0\.5/);
  rejects('frame type', (r) => void (r.frames[1] = 'b.jpg'), 'frames[1]', /expected an object for frames\[1\]/);
  rejects('file', (r) => void (r.frames[0].file = 3), 'frames[0].file', /expected a file name for frames\[0\]\.file but received 3/);
  rejects('matrix shape', (r) => void (r.frames[2].matrix = [[1, 0, 0]]), 'frames[2].matrix', /expected a 2x3 matrix \[\[a, b, c\], \[d, e, f\]\] for frames\[2\]\.matrix/);
  rejects('matrix row', (r) => void (r.frames[2].matrix[1] = [0, 1]), 'frames[2].matrix[1]', /expected a row of 3 numbers/);
  rejects('matrix value', (r) => void (r.frames[2].matrix[1][0] = 'x'), 'frames[2].matrix[1][0]', /expected a finite number for frames\[2\]\.matrix\[1\]\[0\] but received "x"/);
  rejects('matrix null', (r) => void (r.frames[0].matrix[0][2] = null), 'frames[0].matrix[0][2]', /received null/);
  rejects('gain type', (r) => void (r.frames[0].gain = 1), 'frames[0].gain', /expected an array of numbers/);
  rejects('gain length', (r) => void (r.frames[0].gain = [1, 1]), 'frames[0].gain', /expected 1 or 3 values \(one per channel\) for frames\[0\]\.gain/);
  rejects('gain channels', () => undefined, 'frames[0].gain', /expected 1 values \(one per channel\)/, { channels: 1 });
  rejects('gain differs between frames', (r) => void (r.frames[1].gain = [1]), 'frames[1].gain', /expected 3 values/);
  rejects('gain value', (r) => void (r.frames[1].gain[2] = '1'), 'frames[1].gain[2]', /expected a finite number/);
  rejects('offset length', (r) => void (r.frames[1].offset = [0]), 'frames[1].offset', /expected 3 values \(as many as gain\) for frames\[1\]\.offset/);
  rejects('correlation', (r) => void delete r.frames[2].correlation, 'frames[2].correlation', /expected a finite number for frames\[2\]\.correlation but received undefined/);
});

test('transformsToJSON checks what it writes', () => {
  const bad = sample();
  (bad.frames[0].matrix[0] as unknown as number[])[1] = NaN;
  assert.throws(() => transformsToJSON(bad), (e: unknown) => e instanceof TransformsFileError && e.parameter === 'frames[0].matrix[0][1]');
  const gray = { ...sample(), frames: sample().frames.map((f) => ({ ...f, gain: [1], offset: [0] })) };
  assert.equal(parseTransforms(transformsToJSON(gray), { channels: 1 }).frames[0].gain, [1]);
});

test('identityTransform', () => {
  assert.equal(identityTransform(3), { matrix: [[1, 0, 0], [0, 1, 0]], gain: [1, 1, 1], offset: [0, 0, 0], correlation: 1 });
  assert.equal(identityTransform(1).gain, [1]);
});

test.run();
