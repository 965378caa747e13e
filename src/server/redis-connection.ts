/**
 * Redis connections for the Redis-backed cache, upload store and job queue,
 * from REDIS_HOST / REDIS_PORT / REDIS_PASSWORD. Each backend owns the
 * connections it opens and closes them itself. The password goes to Redis
 * only: `describeRedis` is what logs and errors show.
 */
import { Redis } from 'ioredis';

export interface RedisSettings {
  host: string;
  port: number;
  password: string | undefined;
}

export type RedisPurpose =
  /** Ordinary commands that should fail fast while Redis is away (cache, uploads, readiness). */
  | 'commands'
  /**
   * BullMQ's connections: they block (BZPOPMIN, XREAD) and must wait out a
   * Redis restart instead of failing, so retries per request are unbounded
   * (BullMQ refuses other settings for its blocking connections).
   */
  | 'queue';

/** Reconnect after 200 ms, backing off to 1 s: a restarted Redis is found again quickly. */
function retryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 4), 1000);
}

/**
 * A connection, with `onError` told of its errors (ioredis prints any error
 * nobody listens to, once per reconnect attempt, while Redis is away).
 */
export function createRedis(
  settings: RedisSettings,
  purpose: RedisPurpose,
  name: string,
  onError: (err: unknown) => void,
): Redis {
  const client = new Redis({
    host: settings.host,
    port: settings.port,
    ...(settings.password === undefined ? {} : { password: settings.password }),
    connectionName: `image2svg:${name}`,
    maxRetriesPerRequest: purpose === 'queue' ? null : 1,
    retryStrategy: retryDelay,
  });
  client.on('error', onError);
  return client;
}

/** `host:port`, saying whether a password is used but never showing it. */
export function describeRedis(settings: RedisSettings): string {
  return `${settings.host}:${settings.port}${settings.password === undefined ? '' : ' (with password)'}`;
}

/** Closes a connection politely (QUIT), or drops it when Redis does not answer. Safe to call twice. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await Promise.race([
      client.quit(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('quit timed out')), 1000).unref()),
    ]);
  } catch {
    client.disconnect();
  }
}

/** PING with a deadline, for readiness: a Redis that is away answers false at once instead of hanging the probe. */
export async function pingRedis(client: Redis, timeoutMs = 1000): Promise<boolean> {
  // A connection that is down answers false at once: a probe's own timeout (Kubernetes: 1 s) must not
  // be spent waiting for a reconnect.
  if (client.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await Promise.race([
      client.ping(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]);
    return reply === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export type ScriptArg = string | number | Buffer;

/** A Lua script run atomically by Redis (EVALSHA, loaded on first use), with its key count fixed. */
export interface RedisScript {
  (keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
  /** The same, with bulk replies as Buffers (binary data). */
  buffers(keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
}

type ScriptCommand = (...params: ScriptArg[]) => Promise<unknown>;

export function defineScript(client: Redis, name: string, numberOfKeys: number, lua: string): RedisScript {
  client.defineCommand(name, { numberOfKeys, lua });
  const commands = client as unknown as Record<string, ScriptCommand>;
  const check = (keys: readonly string[]) => {
    if (keys.length !== numberOfKeys) {
      throw new RangeError(`script ${name}: expecting ${numberOfKeys} keys. Got ${keys.length}`);
    }
  };
  const run = ((keys, args) => {
    check(keys);
    return commands[name]!.call(client, ...keys, ...args);
  }) as RedisScript;
  run.buffers = (keys, args) => {
    check(keys);
    return commands[`${name}Buffer`]!.call(client, ...keys, ...args);
  };
  return run;
}

/**
 * Redis's `maxmemory-policy`, from INFO (CONFIG GET is often renamed away on managed Redis), or null when
 * Redis does not say. The job queue needs `noeviction`: any other policy may drop a job's keys under
 * memory pressure.
 */
export async function evictionPolicy(client: Redis): Promise<string | null> {
  const info = await client.info('memory');
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  return match ? match[1]! : null;
}

/** True for the errors ioredis raises while Redis is away (refused, closed, retries exhausted, timed out). */
export function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as NodeJS.ErrnoException).code;
  if (
    code &&
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)
  )
    return true;
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries|connect E|LOADING/.test(
      e.message,
    )
  );
}
