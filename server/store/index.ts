/** Chooses the store at start-up: Redis when a URL is given, otherwise the embedded store in a data folder. */
import { EmbeddedStore } from './embedded/embeddedStore.ts';
import type { StoreLogger } from './format.ts';
import { connectRedis } from './redis/connect.ts';
import { prepareRedisFormat } from './redis/migrations/index.ts';
import { RedisStore } from './redis/redisStore.ts';
import type { Store } from './types.ts';

export type { Store } from './types.ts';
export { EmbeddedStore } from './embedded/embeddedStore.ts';
export { MemoryStore } from './memory/memoryStore.ts';
export { RedisStore } from './redis/redisStore.ts';

export interface OpenStoreOptions {
  /** redis:// or rediss:// URL (redis+cluster:// for a Redis Cluster, redis/connect.ts); when set, Redis is used. */
  redisUrl?: string;
  /** Folder of the embedded store (used when redisUrl is not set). */
  dataDir: string;
  /**
   * Deadline of each Redis command, in ms (default STORE_COMMAND_TIMEOUT_MS). A command without an
   * answer by then fails, and the write is answered `unavailable` instead of hanging while Redis is
   * unreachable; its outcome is unknown, so the client resends the same opId (exactly once).
   */
  commandTimeoutMs?: number;
  /** Warnings, and (info) migrations and compactions; console by default. */
  logger?: StoreLogger;
}

/** How long a store command may wait for Redis before it fails as an outage (3 s). */
export const STORE_COMMAND_TIMEOUT_MS = 3_000;

/** Open the configured store; `description` is one sentence for the start-up log. */
export async function openStore(options: OpenStoreOptions): Promise<{ store: Store; description: string }> {
  if (options.redisUrl) {
    const shown = redactUrl(options.redisUrl);
    const logger = options.logger ?? console;
    const redis = connectRedis(options.redisUrl, {
      lazyConnect: true,
      commandTimeout: options.commandTimeoutMs ?? STORE_COMMAND_TIMEOUT_MS,
    });
    let lastError: Error | null = null;
    const remember = (err: Error): void => {
      lastError = err;
    };
    redis.on('error', remember);
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      // ioredis rejects with "Connection is closed"; the 'error' event carried the real reason.
      const reason = lastError ?? (err as Error);
      throw new Error(`Could not connect to Redis at ${shown}: ${reason.message}`, { cause: err });
    }
    // ioredis reconnects by itself; say so in the log instead of an "unhandled error event".
    redis.off('error', remember);
    redis.on('error', (err: Error) => logger.warn(`Redis connection problem (${shown}): ${err.message}`));
    try {
      await prepareRedisFormat(redis, logger);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    return {
      store: new RedisStore(redis, { closeClient: true, logger }),
      description: `Using Redis at ${shown} (several server processes may share it).`,
    };
  }
  const store = await EmbeddedStore.open(options.dataDir, options.logger ? { logger: options.logger } : {});
  return {
    store,
    description:
      `Using the embedded store in ${options.dataDir} (single process). ` +
      'Set REDIS_URL=redis://… to use Redis.',
  };
}

/** The URL without its password, fit for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the configured REDIS_URL (unparsable URL)';
  }
}
