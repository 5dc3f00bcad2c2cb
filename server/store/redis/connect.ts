/**
 * One place that turns REDIS_URL into a client. `redis://` and `rediss://` give a plain ioredis
 * client; `redis+cluster://[user:password@]host:port` (or `rediss+cluster://`) gives an ioredis
 * Cluster seeded with that node — it discovers the other masters itself — plus any more seeds in
 * `?seeds=host:port,host:port` (docs/DEPLOY.md "Redis Cluster").
 *
 * The Cluster is handed out typed as `Redis`: the commands Podium sends exist on both, every
 * multi-key command and Lua script of one competition uses keys of its hash tag (keys.ts), and the
 * one call whose signature differs, `duplicate(options)`, is adapted here. SCAN is the other
 * difference: scanKeys.ts walks every master.
 */
import Redis, { Cluster, type RedisOptions } from 'ioredis';

/** ioredis's options without replyMapping, whose optional type its constructor refuses. */
export type ClientOptions = Omit<RedisOptions, 'replyMapping'>;

const CLUSTER_SCHEMES = new Set(['redis+cluster:', 'rediss+cluster:']);

/** True when `url` asks for a Redis Cluster. */
export function isClusterUrl(url: string): boolean {
  try {
    return CLUSTER_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** The seed nodes of a cluster URL: its host plus `?seeds=`. */
export function clusterSeeds(url: string): Array<{ host: string; port: number }> {
  const parsed = new URL(url);
  const seeds = [`${parsed.hostname}:${parsed.port || '6379'}`];
  for (const seed of (parsed.searchParams.get('seeds') ?? '').split(','))
    if (seed.trim()) seeds.push(seed.trim());
  return seeds.map((seed) => {
    const colon = seed.lastIndexOf(':');
    const host = colon > 0 ? seed.slice(0, colon) : seed;
    const port = colon > 0 ? Number(seed.slice(colon + 1)) : 6379;
    if (!Number.isInteger(port) || port <= 0 || port > 65_535)
      throw new Error(`Invalid cluster seed "${seed}"`);
    return { host: host.replace(/^\[|\]$/g, ''), port };
  });
}

/** A client for `url` with `options` (a Cluster for redis+cluster://, see the module comment). */
export function connectRedis(url: string, options: ClientOptions = {}): Redis {
  if (!isClusterUrl(url)) return new Redis(url, options);
  const parsed = new URL(url);
  const { lazyConnect, ...perNode } = options;
  const redisOptions: ClientOptions = {
    ...perNode,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss+cluster:' ? { tls: {} } : {}),
  };
  const cluster = new Cluster(clusterSeeds(url), {
    redisOptions,
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
  });
  adaptDuplicate(cluster, redisOptions);
  return cluster as unknown as Redis;
}

/** Make `cluster.duplicate(options)` mean what `Redis#duplicate(options)` means. */
function adaptDuplicate(cluster: Cluster, redisOptions: ClientOptions): void {
  const original = cluster.duplicate.bind(cluster);
  const duplicate = (overrides: ClientOptions = {}): Cluster => {
    // autoResubscribe and lazyConnect are the Cluster's own options (a copy inherits the original's:
    // a store opened lazily would otherwise give a change-feed subscriber that never connects).
    const { autoResubscribe, lazyConnect, ...perNode } = overrides;
    const copy = original([], {
      redisOptions: { ...redisOptions, ...perNode },
      ...(autoResubscribe === undefined ? {} : { autoResubscribe }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
    });
    adaptDuplicate(copy, { ...redisOptions, ...perNode });
    return copy;
  };
  (cluster as unknown as { duplicate: typeof duplicate }).duplicate = duplicate;
}
