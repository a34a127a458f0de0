import { createRequire } from 'node:module';

/**
 * Redis connections of our own (the event bus's pub/sub, the per-organisation render slots). The driver is
 * ioredis, the client BullMQ itself drives; it is BullMQ's optional peer dependency, so it is loaded the way
 * BullMQ loads it (at run time), and a node without it fails with an error that says what to install.
 * Only the calls made here are typed.
 */
export interface RedisClient {
  status: string;
  publish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  ping(): Promise<string>;
  quit(): Promise<string>;
  disconnect(): void;
  on(event: 'message', listener: (channel: string, message: string) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  /** Connected and answering again (also after a reconnection). */
  on(event: 'ready', listener: () => void): this;
}

type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisClient;

let driver: RedisConstructor | null = null;

function loadDriver(): RedisConstructor {
  if (driver) return driver;
  try {
    const mod = createRequire(import.meta.url)('ioredis') as RedisConstructor & { default?: RedisConstructor };
    driver = mod.default ?? mod;
    return driver;
  } catch {
    throw new Error('Redis support needs the ioredis package (the client BullMQ uses), which is not installed: run `npm install ioredis`.');
  }
}

/** Host and port of a redis:// URL, for messages (never its password). */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    throw new Error(`The Redis URL ${JSON.stringify(url)} is not a URL: write it as redis://host:port (or rediss://user:password@host:port/db).`);
  }
}

/**
 * The connection settings BullMQ takes for a redis:// URL (`maxRetriesPerRequest: null`: BullMQ's workers
 * block on Redis and must wait through a reconnection rather than fail).
 */
export function bullConnection(url: string): Record<string, unknown> {
  redisTarget(url);
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Opens a connection and waits until Redis answers; an unreachable server is an error naming it (and how
 * to start one) after `timeoutMs`, not a hang.
 */
export async function connectRedis(url: string, opts: { name: string; timeoutMs?: number }): Promise<RedisClient> {
  const target = redisTarget(url);
  const Redis = loadDriver();
  const client = new Redis(url, { connectionName: opts.name, lazyConnect: false, maxRetriesPerRequest: null, enableOfflineQueue: true });
  let lastError = '';
  client.on('error', (err) => {
    lastError = err.message;
  });
  const timeoutMs = opts.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return client;
  } catch (err) {
    client.disconnect();
    const cause = lastError || (err instanceof Error ? err.message : String(err));
    throw new Error(`Redis is not reachable at ${target} (${cause}): start it (for example \`redis-server --daemonize yes\`) or set ADSMITH_REDIS_URL to a running server.`);
  } finally {
    clearTimeout(timer);
  }
}
