/**
 * The Redis store's stored-data format (`podium:format`) and its migrations, numbered by the
 * format they start from. `prepareRedisFormat` runs at start (openStore): it refuses a newer
 * format, stamps an empty Redis, and migrates older data — one node at a time, under a lock.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import {
  newerFormatError,
  runMigrations,
  STORE_FORMAT,
  UNVERSIONED_FORMAT,
  type Migration,
  type StoreLogger,
} from '../../format.ts';
import { COMPETITIONS_KEY, FORMAT_KEY, MIGRATION_LOCK_KEY } from '../keys.ts';
import { scanKeys } from '../scanKeys.ts';
import type { RedisMigrationContext } from './context.ts';
import { stampFormatKey } from './001-stamp-format.ts';

export type { RedisMigrationContext } from './context.ts';

/** Every Redis migration, oldest first. */
export const REDIS_MIGRATIONS: ReadonlyArray<Migration<RedisMigrationContext>> = [stampFormatKey];

const LOCK_MS = 10 * 60_000;
const WAIT_POLL_MS = 500;

/** The stored-data format in Redis: the key's value, UNVERSIONED_FORMAT for Podium data without it, 'new' for none. */
export async function redisFormat(redis: Redis): Promise<number | 'new'> {
  const value = await redis.get(FORMAT_KEY);
  if (value !== null) {
    const format = Number(value);
    if (!Number.isInteger(format) || format < 1) {
      throw new Error(
        `Redis key ${FORMAT_KEY} holds "${value}", not a stored-data format number. Nothing was changed.`,
      );
    }
    return format;
  }
  return (await hasPodiumData(redis)) ? UNVERSIONED_FORMAT : 'new';
}

/**
 * Make Redis hold the current format: refuse a newer one, stamp a Redis without Podium data,
 * migrate older data. Another node migrating at the same time is waited for (up to `waitMs`).
 */
export async function prepareRedisFormat(redis: Redis, logger: StoreLogger, waitMs = LOCK_MS): Promise<void> {
  const where = 'Redis';
  const found = await redisFormat(redis);
  if (found === 'new') {
    await redis.set(FORMAT_KEY, String(STORE_FORMAT), 'NX');
    return prepareRedisFormatAgain(redis, where);
  }
  if (found > STORE_FORMAT) throw newerFormatError(where, found);
  if (found === STORE_FORMAT) return;
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await redis.set(MIGRATION_LOCK_KEY, token, 'PX', LOCK_MS, 'NX')) === null) {
    if (Date.now() > deadline) {
      throw new Error(
        `Another Podium node holds ${MIGRATION_LOCK_KEY} (migrating the stored data) and has not finished. ` +
          'If no node is migrating, delete that key and start again.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
  try {
    const now = await redisFormat(redis);
    if (now === 'new' || now >= STORE_FORMAT) return prepareRedisFormatAgain(redis, where);
    await runMigrations({
      what: 'the Redis store',
      migrations: REDIS_MIGRATIONS,
      found: now,
      ctx: { redis },
      logger,
      readFormat: async () => {
        const format = await redisFormat(redis);
        return format === 'new' ? 0 : format;
      },
    });
  } finally {
    // Release only our own lock.
    await redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      MIGRATION_LOCK_KEY,
      token,
    );
  }
}

/** After another node or a racing start stamped the key: accept the current format, refuse a newer one. */
async function prepareRedisFormatAgain(redis: Redis, where: string): Promise<void> {
  const format = await redisFormat(redis);
  if (format !== 'new' && format > STORE_FORMAT) throw newerFormatError(where, format);
}

/** True when Redis holds any Podium key (competitions or records) besides the format key. */
async function hasPodiumData(redis: Redis): Promise<boolean> {
  if ((await redis.exists(COMPETITIONS_KEY)) === 1) return true;
  for await (const keys of scanKeys(redis, 'podium:*')) {
    if (keys.some((key) => key !== FORMAT_KEY && key !== MIGRATION_LOCK_KEY)) return true;
  }
  return false;
}
