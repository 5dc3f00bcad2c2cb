/**
 * Whether Redis keeps an acknowledged write through a crash and a power loss: only with
 * `appendonly yes` + `appendfsync always`, the operator's setting, read here at start (CONFIG GET,
 * or INFO persistence where a provider disables CONFIG). server/store/durability.ts reports it.
 */
import type { Redis } from 'ioredis';
import type { StoreDurability } from '../durability.ts';

const LOSES: Record<string, string> = {
  'aof-everysec': 'up to ~1 s of acknowledged marks can be lost on power loss or a kernel crash',
  'aof-no': 'acknowledged marks the OS has not flushed (typically up to 30 s) can be lost on power loss',
  'aof-unknown-fsync':
    'the AOF is on but its fsync policy cannot be read (CONFIG is disabled), so "appendfsync always" is not confirmed',
  'no-aof':
    'the AOF is off (and CONFIG is disabled, so snapshots cannot be read): marks since the last RDB snapshot, if any, are lost when Redis restarts',
  'rdb-only': 'every acknowledged mark since the last RDB snapshot is lost when Redis restarts',
  none: 'Redis keeps nothing on disk: every acknowledged mark is lost when Redis restarts',
  unknown: 'neither CONFIG GET nor INFO persistence answered, so nothing is confirmed',
};

/** Read Redis' persistence setting (one or two round trips). */
export async function redisDurability(redis: Redis): Promise<StoreDurability> {
  const persistence = await redisPersistence(redis);
  if (persistence === 'aof-always') {
    return {
      store: 'redis',
      durable: true,
      persistence,
      detail: 'Redis appendonly yes + appendfsync always: every commit is fsynced before the reply',
    };
  }
  return {
    store: 'redis',
    durable: false,
    persistence,
    detail: `Redis is not durable (${persistence}): ${LOSES[persistence] ?? LOSES.unknown}; set appendonly yes and appendfsync always (docs/DEPLOY.md)`,
  };
}

async function redisPersistence(redis: Redis): Promise<string> {
  try {
    const appendonly = await configValue(redis, 'appendonly');
    if (appendonly === 'yes') return `aof-${(await configValue(redis, 'appendfsync')) ?? 'unknown-fsync'}`;
    const save = await configValue(redis, 'save');
    return save !== undefined && save.trim() !== '' ? 'rdb-only' : 'none';
  } catch {
    // Managed Redis often renames or disables CONFIG; INFO still tells whether the AOF is on.
  }
  try {
    const info = await redis.info('persistence');
    const aof = /^aof_enabled:(\d)/m.exec(info)?.[1];
    if (aof === '1') return 'aof-unknown-fsync';
    if (aof === '0') return 'no-aof';
  } catch {
    // Reported as unknown below.
  }
  return 'unknown';
}

async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  const pair = (await redis.config('GET', name)) as unknown;
  if (!Array.isArray(pair) || pair.length < 2) throw new Error(`CONFIG GET ${name} answered nothing`);
  return String(pair[1]);
}
