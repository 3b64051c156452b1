import assert from 'node:assert/strict';
import { test } from 'uvu';
import * as lib from '../../lib/cv/index.js';

test('re-exports the runtime, the scope, the converters and every wrapper', () => {
  const functions = [
    'loadOpenCV', 'reloadOpenCV', 'cv', 'isOpenCVLoaded', 'heapSize',
    'newMat', 'registerMat', 'deleteMat', 'liveMatCount', 'cvCall',
    'matFromImage', 'imageFromMat', 'floatImageFromMat',
    'absdiff', 'add', 'boxFilter', 'convertTo', 'cvtColor', 'filter2D', 'GaussianBlur', 'Laplacian',
    'medianBlur', 'merge', 'multiply', 'pyrDown', 'pyrUp', 'resize', 'Sobel', 'split', 'subtract', 'threshold',
  ];
  for (const name of functions) assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
  assert.equal(typeof lib.MatScope, 'function');
  assert.equal(typeof lib.OpenCVError, 'function');
});

test.run();
