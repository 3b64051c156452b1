// Options objects of the wrappers: unknown keys (a misspelt `ddepth`) are refused
// by name, a positional argument is refused, and sizes/points may be cv.Size,
// cv.Point or plain objects as well as [w, h] pairs.
import assert from 'node:assert/strict';
import { test } from 'uvu';
import {
  GaussianBlur,
  Laplacian,
  Sobel,
  absdiff,
  add,
  boxFilter,
  convertTo,
  cv,
  cvtColor,
  deleteMat,
  filter2D,
  liveMatCount,
  loadOpenCV,
  medianBlur,
  merge,
  multiply,
  pyrDown,
  pyrUp,
  resize,
  subtract,
  threshold,
  type Mat,
} from '../../lib/cv/index.js';
import { assertClose, matOf, randomValues, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

type Call = (src: Mat, options: Record<string, unknown>) => Mat | { dst: Mat };

/** Each wrapper with the options it needs, and the keys it knows, listed as the message lists them. */
const WRAPPERS: [string, Call, Record<string, unknown>, string][] = [
  ['GaussianBlur', (s, o) => GaussianBlur(s, o), { sigmaX: 1 }, 'ksize, sigmaX, sigmaY, borderType, dst'],
  ['Laplacian', (s, o) => Laplacian(s, o), {}, 'ddepth, ksize, scale, delta, borderType, dst'],
  ['Sobel', (s, o) => Sobel(s, o as never), { dx: 1, dy: 0 }, 'ddepth, dx, dy, ksize, scale, delta, borderType, dst'],
  ['absdiff', (s, o) => absdiff(s, s, o), {}, 'dst'],
  ['add', (s, o) => add(s, s, o), {}, 'dst, mask, dtype'],
  ['boxFilter', (s, o) => boxFilter(s, o), {}, 'ddepth, ksize, anchor, normalize, borderType, dst'],
  ['convertTo', (s, o) => convertTo(s, o), {}, 'rtype, alpha, beta, dst'],
  ['cvtColor', (s, o) => cvtColor(s, o as never), { get code() { return cv().COLOR_GRAY2RGB; } }, 'code, dst'],
  ['filter2D', (s, o) => filter2D(s, o as never), { kernel: [[1]] }, 'ddepth, kernel, anchor, delta, borderType, dst'],
  ['medianBlur', (s, o) => medianBlur(s, o), {}, 'ksize, dst'],
  ['merge', (s, o) => merge([s], o), {}, 'dst'],
  ['multiply', (s, o) => multiply(s, s, o), {}, 'scale, dtype, dst'],
  ['pyrDown', (s, o) => pyrDown(s, o), {}, 'dstsize, borderType, dst'],
  ['pyrUp', (s, o) => pyrUp(s, o), {}, 'dstsize, dst'],
  ['resize', (s, o) => resize(s, o), { fx: 2, fy: 2 }, 'dsize, fx, fy, interpolation, dst'],
  ['subtract', (s, o) => subtract(s, s, o), {}, 'dst, mask, dtype'],
  ['threshold', (s, o) => threshold(s, o as never), { thresh: 1, maxval: 2 }, 'thresh, maxval, type, dst'],
];

const gray8 = () => matOf(4, 5, cv().CV_8UC1, randomValues(20, 5, 0, 256, true));

for (const [name, call, needed, known] of WRAPPERS) {
  test(`${name}: its options run, and an unknown key is refused by name with the known ones`, () => {
    const src = gray8();
    try {
      const ok = call(src, needed);
      deleteMat('dst' in ok && !(ok instanceof cv().Mat) ? ok.dst : (ok as Mat));
      // Every known key is accepted as a key (a value of undefined means "the default").
      const all = Object.fromEntries(known.split(', ').map((k) => [k, undefined]));
      const ok2 = call(src, { ...all, ...needed });
      deleteMat('dst' in ok2 && !(ok2 instanceof cv().Mat) ? ok2.dst : (ok2 as Mat));
      const before = liveMatCount();
      assert.throws(() => call(src, { ...needed, depth: 6 }), {
        name: 'TypeError',
        message: `Unknown option "depth" for ${name}; known options: ${known}`,
      });
      assert.equal(liveMatCount(), before, 'nothing allocated');
    } finally {
      deleteMat(src);
    }
  });
}

test('the trap of the report: Laplacian(src, { depth: cv.CV_64F }) no longer gives an 8-bit result silently', () => {
  const src = gray8();
  try {
    assert.throws(() => Laplacian(src, { depth: cv().CV_64F } as never), {
      name: 'TypeError',
      message: 'Unknown option "depth" for Laplacian; known options: ddepth, ksize, scale, delta, borderType, dst',
    });
  } finally {
    deleteMat(src);
  }
});

test('a positional argument where the options object goes (cv2 style) is refused', () => {
  const src = gray8();
  try {
    assert.throws(() => Laplacian(src, cv().CV_64F as never), {
      name: 'TypeError',
      message: `Expected an options object ({ ddepth, ksize, scale, delta, borderType, dst }) for Laplacian but received ${cv().CV_64F} (number)`,
    });
    assert.throws(() => absdiff(src, src, src as never), {
      name: 'TypeError',
      message: 'Expected an options object ({ dst }) for absdiff but received a Mat',
    });
    assert.throws(() => medianBlur(src, [3] as never), { name: 'TypeError', message: /for medianBlur but received an array of length 1$/ });
  } finally {
    deleteMat(src);
  }
});

test('sizes and points: a cv.Size / cv.Point or a plain object gives what the [w, h] pair gives', () => {
  const c = cv();
  const src = matOf(6, 7, c.CV_32FC1, randomValues(42, 8, -10, 10));
  const pairs: [string, (size: unknown, point?: unknown) => Mat][] = [
    ['resize dsize', (s) => resize(src, { dsize: s as never })],
    ['GaussianBlur ksize', (s) => GaussianBlur(src, { ksize: s as never })],
    ['boxFilter ksize and anchor', (s, p) => boxFilter(src, { ksize: s as never, anchor: p as never })],
    ['pyrUp dstsize', (s) => pyrUp(src, { dstsize: s as never })],
  ];
  const sizes: Record<string, [[number, number], [number, number]]> = {
    'resize dsize': [[3, 9], [0, 0]],
    'GaussianBlur ksize': [[5, 3], [0, 0]],
    'boxFilter ksize and anchor': [[3, 2], [0, 1]],
    'pyrUp dstsize': [[13, 12], [0, 0]],
  };
  try {
    for (const [label, run] of pairs) {
      const [[w, h], [x, y]] = sizes[label];
      const reference = run([w, h], [x, y]);
      const size = new c.Size(w, h);
      const point = new c.Point(x, y);
      try {
        for (const [form, s, p] of [
          ['cv.Size', size, point],
          ['plain object', { width: w, height: h }, { x, y }],
        ] as const) {
          const out = run(s, p);
          try {
            assert.deepEqual([out.cols, out.rows], [reference.cols, reference.rows], `${label}, ${form}`);
            assertClose(valuesOf(out), valuesOf(reference), 0, `${label}, ${form}`);
          } finally {
            deleteMat(out);
          }
        }
      } finally {
        deleteMat(reference);
      }
    }
    // The same checks apply to either form.
    assert.throws(() => resize(src, { dsize: { width: 0, height: 4 } }), {
      name: 'RangeError',
      message: 'Expected a positive integer (or [0, 0] for dsize) for dsize[0] but received 0 (number)',
    });
    assert.throws(() => boxFilter(src, { ksize: { width: 3, height: 3 }, anchor: { x: 3, y: 0 } }), {
      name: 'RangeError',
      message: 'Expected an integer from -1 to 2 for anchor[0] but received 3 (number)',
    });
    assert.throws(() => resize(src, { dsize: { w: 3, h: 4 } as never }), {
      name: 'TypeError',
      message: 'Expected a [width, height] pair or a cv.Size for dsize but received a Object',
    });
  } finally {
    deleteMat(src);
  }
});

test('no Mat is left alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
