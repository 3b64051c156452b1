/**
 * Redis connections for the queue: a URL (`redis://`, `rediss://` for TLS,
 * with a user and a password if need be) or BullMQ's connection options,
 * made into options that reconnect for ever after a Redis restart; and the
 * redaction that keeps passwords out of every line and error.
 */
import type { ConnectionOptions } from 'bullmq';

/** A Redis to connect to: a URL (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS), or BullMQ's connection options (`host`, `port`, `password`, `tls`...). */
export type RedisConnection = string | ConnectionOptions;

/** A bad Redis URL (the message names it without its password). */
export class RedisUrlError extends TypeError {
  /** `'RedisUrlError'`. */
  override name = 'RedisUrlError';
}

/**
 * A Redis URL without its secret: the password (and a user given alone,
 * which Redis takes as a password) becomes `***`.
 *
 * @param url - A URL, as typed.
 * @returns `redis://user:***@host:6379/0`; the text as it is when it is no URL.
 */
export function redactUrl(url: string): string {
  // Not a URL with a scheme (mistyped): whatever comes before an "@" may be a secret.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url.includes('@') ? `***@${url.slice(url.lastIndexOf('@') + 1)}` : url;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_all, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${auth.slice(0, colon + 1)}***`}@`;
  });
}

/** The secrets in a connection: its password, as given and URL-decoded. */
function secretsOf(connection: RedisConnection): string[] {
  const secrets: string[] = [];
  if (typeof connection === 'string') {
    const auth = /^rediss?:\/\/([^@/]*)@/i.exec(connection)?.[1];
    if (auth !== undefined && auth !== '') {
      const password = auth.includes(':') ? auth.slice(auth.indexOf(':') + 1) : auth;
      if (password !== '') secrets.push(password, safeDecode(password));
    }
  } else {
    const options = connection as { password?: unknown; url?: unknown };
    if (typeof options.password === 'string' && options.password !== '') secrets.push(options.password);
    if (typeof options.url === 'string') secrets.push(...secretsOf(options.url));
  }
  return [...new Set(secrets)].filter((s) => s.length > 0);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A function that removes a connection's secrets from any text: its
 * password wherever it appears, and the user information of any Redis URL.
 *
 * @param connection - The connection whose secrets to remove.
 * @returns `(text) => text` with `***` for each secret.
 */
export function redactor(connection: RedisConnection): (text: string) => string {
  const secrets = secretsOf(connection).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s"']*@/gi, (_all, scheme: string) => `${scheme}***@`);
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}

/**
 * Where a connection points, for a log line, without its secret:
 * `redis://***@host:6379/0`.
 *
 * @param connection - The connection.
 * @returns A description.
 */
export function describeConnection(connection: RedisConnection): string {
  if (typeof connection === 'string') return redactUrl(connection);
  const options = connection as { url?: unknown; host?: unknown; port?: unknown; tls?: unknown };
  if (typeof options.url === 'string') return redactUrl(options.url);
  if (typeof options.host === 'string' || typeof options.port === 'number') {
    return `${options.tls ? 'rediss' : 'redis'}://${String(options.host ?? 'localhost')}:${String(options.port ?? 6379)}`;
  }
  return 'a Redis client';
}

/** Wait between reconnection attempts: 100 ms more each time, at most 2 s; never give up (a Redis restart must not end a worker). */
export function retryDelay(times: number): number {
  return Math.min(times * 100, 2000);
}

/**
 * BullMQ connection options for a connection: a URL is checked and given
 * options that retry every command through a restart (`maxRetriesPerRequest: null`)
 * and reconnect for ever; options given are kept, with the same defaults where unset;
 * a client instance is passed as it is (its owner closes it).
 *
 * @param connection - See {@link RedisConnection}.
 * @returns Options for a BullMQ `Queue`, `Worker` or `QueueEvents`.
 * @throws RedisUrlError for a string that is not a `redis://` or `rediss://` URL (named without its password).
 */
export function connectionOptions(connection: RedisConnection): ConnectionOptions {
  const defaults = { maxRetriesPerRequest: null, retryStrategy: retryDelay, enableOfflineQueue: true };
  if (typeof connection === 'string') {
    let url: URL;
    try {
      url = new URL(connection);
    } catch {
      throw new RedisUrlError(`expected a Redis URL (redis://[user:password@]host[:port][/db] or rediss://...) but received ${JSON.stringify(redactUrl(connection))}`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new RedisUrlError(`expected a redis:// or rediss:// URL but received ${JSON.stringify(redactUrl(connection))}`);
    }
    if (url.hostname === '') throw new RedisUrlError(`expected a host in the Redis URL ${JSON.stringify(redactUrl(connection))}`);
    return { url: connection, ...defaults };
  }
  if (typeof (connection as { duplicate?: unknown }).duplicate === 'function') return connection;
  return { ...defaults, ...connection };
}
