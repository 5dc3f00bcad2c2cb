/**
 * Whether the store keeps an acknowledged write through a crash and a power loss (promise D1 in
 * docs/RELIABILITY.md). The embedded store fsyncs every commit; Redis does so only with
 * `appendonly yes` + `appendfsync always`, which is the operator's setting — so it is read at start
 * (CONFIG GET, or INFO persistence where a provider disables CONFIG), warned about, reported on
 * /readyz and /metrics, and with PODIUM_REQUIRE_DURABLE=1 a reason to refuse to start.
 */
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { Store } from './types.ts';

/** What the store's persistence promises. */
export interface StoreDurability {
  /** True when an acknowledged write survives a crash and a power loss. */
  durable: boolean;
  /**
   * The setting found: `embedded-fsync`, `aof-always`, `aof-everysec`, `aof-no`,
   * `aof-unknown-fsync` (AOF on, policy hidden), `rdb-only`, `none`, `no-aof` (AOF off, snapshots
   * hidden), or `unknown`.
   */
  persistence: string;
  /** One sentence for the log, /readyz and the refusal to start. */
  detail: string;
}

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

/** Read the store's persistence setting (one or two Redis round trips; none for the embedded store). */
export async function storeDurability(store: Store): Promise<StoreDurability> {
  if (store.kind === 'embedded') {
    return {
      durable: true,
      persistence: 'embedded-fsync',
      detail: 'embedded store: every commit is fsynced before it is acknowledged',
    };
  }
  const redis = (store as Store & { redis?: Redis }).redis;
  const persistence = redis === undefined ? 'unknown' : await redisPersistence(redis);
  if (persistence === 'aof-always') {
    return {
      durable: true,
      persistence,
      detail: 'Redis appendonly yes + appendfsync always: every commit is fsynced before the reply',
    };
  }
  return {
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

/**
 * Check at start: warn loudly when the store is not durable, and throw (refusing to start) when
 * `require` (PODIUM_REQUIRE_DURABLE=1) is set.
 */
export async function checkDurabilityAtStart(
  store: Store,
  logger: { warn(obj: object, message: string): void },
  require: boolean,
): Promise<StoreDurability> {
  const report = await storeDurability(store);
  if (report.durable) return report;
  if (require) {
    throw new Error(`PODIUM_REQUIRE_DURABLE=1 and the store is not durable. ${report.detail}.`);
  }
  logger.warn(
    { persistence: report.persistence },
    `!!! ACKNOWLEDGED MARKS ARE NOT SAFE: ${report.detail}. Set PODIUM_REQUIRE_DURABLE=1 to refuse to start like this.`,
  );
  return report;
}

/** The gauge podium_store_durable{store, persistence} (1 or 0) on a metrics registry. */
export function registerDurabilityGauge(
  registry: Registry,
  store: Store['kind'],
  report: StoreDurability,
): void {
  const gauge = new Gauge({
    name: 'podium_store_durable',
    help: '1 when an acknowledged write survives a crash and a power loss (embedded store, or Redis appendfsync always), else 0; checked at start',
    labelNames: ['store', 'persistence'] as const,
    registers: [registry],
  });
  gauge.set({ store, persistence: report.persistence }, report.durable ? 1 : 0);
}
