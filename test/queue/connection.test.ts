// Redis URLs and the redaction of secrets, and the check of a job's data: no Redis needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStackJob, connectionOptions, describeConnection, jobProgress, redactor, redactUrl, RedisUrlError } from '../../lib/queue/index.js';
import { runCli } from '../helpers/cli.js';

test('redactUrl hides the password (and a lone user, which Redis takes as one)', () => {
  assert.is(redactUrl('redis://:s3cret@host:6379/2'), 'redis://:***@host:6379/2');
  assert.is(redactUrl('rediss://lab:s3cret@host'), 'rediss://lab:***@host');
  assert.is(redactUrl('redis://s3cret@host'), 'redis://***@host');
  assert.is(redactUrl('redis://host:6379'), 'redis://host:6379');
});

test('redactor removes the password wherever it appears, encoded or not, and any URL\'s user information', () => {
  const redact = redactor('redis://admin:p%40ss%3Aword@10.0.0.5:6380');
  assert.is(redact('WRONGPASS for p@ss:word at redis://admin:p%40ss%3Aword@10.0.0.5:6380'), 'WRONGPASS for *** at redis://***@10.0.0.5:6380');
  assert.is(redactor({ host: 'h', password: 'hunter2' })('auth hunter2 failed'), 'auth *** failed');
  assert.is(describeConnection({ host: 'redis.lab', port: 6380, password: 'x', tls: {} }), 'rediss://redis.lab:6380');
  assert.is(describeConnection('rediss://:x@redis.lab'), 'rediss://:***@redis.lab');
});

test('connectionOptions: redis:// and rediss:// URLs reconnect for ever; a bad URL is named without its password', () => {
  const options = connectionOptions('rediss://:pw@redis.lab:6380/1') as { url: string; maxRetriesPerRequest: null; retryStrategy: (n: number) => number };
  assert.is(options.url, 'rediss://:pw@redis.lab:6380/1');
  assert.is(options.maxRetriesPerRequest, null);
  assert.equal([1, 5, 100].map(options.retryStrategy), [100, 500, 2000]);
  assert.equal(connectionOptions({ host: 'h', maxRetriesPerRequest: 3 }), { maxRetriesPerRequest: 3, retryStrategy: options.retryStrategy, enableOfflineQueue: true, host: 'h' });
  assert.throws(() => connectionOptions('http://:pw@host'), (e: Error) => e instanceof RedisUrlError && e.message === 'expected a redis:// or rediss:// URL but received "http://:***@host"');
  assert.throws(() => connectionOptions('redis//:secret@host'), (e: Error) => e instanceof RedisUrlError && !e.message.includes('secret'));
});

test('the queue commands: --redis is required and checked, its password never echoed', async () => {
  const saved = process.env.FOCUS_STACKING_REDIS_URL;
  delete process.env.FOCUS_STACKING_REDIS_URL;
  try {
    const missing = await runCli(['queue', 'status']);
    assert.is(missing.code, 2);
    assert.is(missing.stderr, 'focus-stacking: missing required flag(s): --redis (or $FOCUS_STACKING_REDIS_URL)\n');
    const bad = await runCli(['worker', '--redis', 'http://:topsecret@h']);
    assert.is(bad.code, 2);
    assert.is(bad.stderr, 'focus-stacking: --redis: expected a redis:// or rediss:// URL but received "http://:***@h"\n');
    // Nothing listens on port 1: the one line names the Redis without its password.
    const down = await runCli(['queue', 'status', '--redis', 'redis://:topsecret@127.0.0.1:1', '--timeout', '0.3']);
    assert.is(down.code, 1);
    assert.match(down.stderr, /^focus-stacking: cannot reach Redis at redis:\/\/:?\*\*\*@127\.0\.0\.1:1(: connect ECONNREFUSED 127\.0\.0\.1:1)?\n$/);
    assert.not.ok(down.stderr.includes('topsecret'));
  } finally {
    if (saved !== undefined) process.env.FOCUS_STACKING_REDIS_URL = saved;
  }
});

test('checkStackJob refuses malformed job data (bad input, not retried); jobProgress counts steps', () => {
  assert.equal(checkStackJob({ name: 'a', frames: ['x.png', 'y.png'], output: 'o.jpg' }), { name: 'a', frames: ['x.png', 'y.png'], output: 'o.jpg' });
  const refused: [unknown, RegExp][] = [
    [null, /carries no stack/],
    [{ name: 'a', frames: 'x', output: 'o.jpg' }, /frames are not a list of paths/],
    [{ name: 'a', frames: ['x'], output: '' }, /no output path/],
    [{ name: 'a', frames: ['x'], output: 'o.jpg', extra: 1 }, /unknown fields: extra/],
    [{ name: 'a', frames: ['x'], output: 'o.jpg', options: { beta: 1 } }, /unknown options: beta/],
  ];
  for (const [data, message] of refused) assert.throws(() => checkStackJob(data), message);
  const p = jobProgress({ step: 'read', frame: 2, frames: 4, pass: 0, passes: 2, done: 3, total: 8, elapsedMs: 10 });
  assert.equal(p, { percent: 33, step: 3, steps: 9, frame: 2, frames: 4 });
  assert.is(jobProgress({ step: 'finish', frame: -1, frames: 4, pass: 1, passes: 2, done: 8, total: 8, elapsedMs: 10 }).percent, 89);
});

test.run();
