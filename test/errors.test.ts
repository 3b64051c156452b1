/**
 * Validation errors carry their fields (item B): the CLI words its messages
 * from `parameter`, `index`, `expected` and `received`, never from the text.
 * The messages and the TypeError/RangeError classes stay as they were.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertInteger, assertOdd, assertOneOf, invalidParameter, isParameterError, ParameterRangeError, ParameterTypeError, type ParameterError } from '../lib/errors.js';
import type { Image } from '../lib/image.js';
import { stackPair } from '../lib/stack.js';
import { resolveStrategyOptions } from '../lib/strategies/options.js';

/** The error `run` throws (or rejects with). */
async function caught(run: () => unknown): Promise<ParameterError> {
  try {
    await run();
  } catch (error) {
    assert.ok(isParameterError(error), `a ParameterError: ${String(error)}`);
    return error as ParameterError;
  }
  throw new Error('expected an error');
}

/** The fields, without the message and stack. */
const fields = (e: ParameterError) => Object.fromEntries(Object.entries({ ...e }).filter(([, v]) => v !== undefined));

test('invalidParameter: a RangeError or TypeError with the same message, and fields', () => {
  const range = invalidParameter('beta', 'a number from 0 to 1000000', 1e7);
  assert.instance(range, RangeError);
  assert.instance(range, ParameterRangeError);
  assert.is(String(range), 'RangeError: Expected a number from 0 to 1000000 for beta but received 10000000 (number)');
  assert.equal(fields(range), { parameter: 'beta', expected: 'a number from 0 to 1000000', received: 1e7 });
  const type = invalidParameter('path', 'a non-empty string', '');
  assert.instance(type, TypeError);
  assert.instance(type, ParameterTypeError);
  assert.is(String(type), 'TypeError: Expected a non-empty string for path but received "" (string)');
  assert.equal(fields(type), { parameter: 'path', expected: 'a non-empty string', received: '' });
});

test('an item of a list: parameter and index apart, the message as before', async () => {
  const e = await caught(() => assertOdd('medianSizes[1]', 18, 1, 255));
  assert.instance(e, RangeError);
  assert.is(e.message, 'Expected an odd integer from 1 to 255 for medianSizes[1] but received 18 (number)');
  assert.equal(fields(e), { parameter: 'medianSizes', index: 1, expected: 'an odd integer from 1 to 255', received: 18 });
  const only = await caught(() => assertOneOf('only[2]', 'foo', ['a', 'b']));
  assert.equal(fields(only), { parameter: 'only', index: 2, expected: 'one of a, b', received: 'foo' });
});

test('the API boundary throws them: resolveStrategyOptions, assertInteger', async () => {
  const sizes = await caught(() => resolveStrategyOptions({ medianSizes: [35, 19, 8] }));
  assert.equal(fields(sizes), { parameter: 'medianSizes', index: 2, expected: 'an odd integer from 1 to 255', received: 8 });
  const beta = await caught(() => resolveStrategyOptions({ beta: -1 }));
  assert.equal(fields(beta), { parameter: 'beta', expected: 'a number from 0 to 1000000', received: -1 });
  const levels = await caught(() => assertInteger('levels', '3', 1, 16));
  assert.instance(levels, TypeError);
  assert.equal(fields(levels), { parameter: 'levels', expected: 'an integer from 1 to 16', received: '3' });
});

test('stackPair with mixed: refuse: frames that do not match carry parameter, property, like, expected, received', async () => {
  const image = (channels: 1 | 3, sixteen = false): Image => {
    const data = sixteen ? new Uint16Array(4 * 4 * channels) : new Uint8Array(4 * 4 * channels);
    return { width: 4, height: 4, channels, data };
  };
  const channels = await caught(() => stackPair(image(3), image(1), { mixed: 'refuse' }));
  assert.instance(channels, TypeError);
  assert.is(channels.message, 'Expected front to have 3 channel(s) like back but it has 1');
  assert.equal(fields(channels), { parameter: 'front', property: 'channels', like: 'back', expected: '3 channel(s)', received: 1 });
  const bits = await caught(() => stackPair(image(3), image(3, true), { mixed: 'refuse' }));
  assert.instance(bits, TypeError);
  assert.is(bits.message, 'Expected front to be 8-bit like back but it is 16-bit');
  assert.equal(fields(bits), { parameter: 'front', property: 'bits', like: 'back', expected: '8-bit', received: 16 });
});

test('isParameterError tells them from other errors', () => {
  assert.ok(isParameterError(new ParameterTypeError({ parameter: 'x', expected: 'y', received: 1 })));
  assert.not.ok(isParameterError(new TypeError('Expected a number for x but received 1 (number)')));
  assert.not.ok(isParameterError('Expected'));
});

test.run();
