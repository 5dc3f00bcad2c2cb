/**
 * The Cluster of nodes sharing one Redis: presence and audience counts in hashes (hash tag: the
 * competition's slot), rate limits in Redis counters (auth/rate-limits.ts), and the Redis Streams
 * adapter of Socket.IO. Uses the live layer's own connection, not the store's.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import { RateLimits, type RateLimitSettings } from '../auth/rate-limits.ts';
import type { AudienceStore, Cluster, PresenceStore } from './types.ts';

/** Redis hash judgeId → last heartbeat (ms) for one event. */
export const presenceKey = (competitionId: string, eventId: string): string =>
  `podium:{${competitionId}}:presence:${eventId}`;

/** Redis hash of per-node counts ("count:at") for one competition. */
export const audienceKey = (competitionId: string): string => `podium:{${competitionId}}:audience`;

/** How long a judge's presence hash outlives its last heartbeat. */
const PRESENCE_TTL_SECONDS = 86_400;

export class RedisCluster implements Cluster {
  readonly presence: PresenceStore;
  readonly audience: AudienceStore;

  constructor(private readonly redis: Redis) {
    this.presence = {
      touch: async (competitionId, eventId, judgeId, at) => {
        const key = presenceKey(competitionId, eventId);
        const results = await redis
          .multi()
          .hget(key, judgeId)
          .hset(key, judgeId, at)
          .expire(key, PRESENCE_TTL_SECONDS)
          .exec();
        const previous = results?.[0]?.[1];
        return typeof previous === 'string' ? Number(previous) : null;
      },
      lastSeen: async (competitionId, eventId) => {
        const fields = await redis.hgetall(presenceKey(competitionId, eventId));
        return new Map(Object.entries(fields).map(([id, at]) => [id, Number(at)]));
      },
    };
    this.audience = {
      report: async (nodeId, counts, at, ttlMs) => {
        if (counts.size === 0) return;
        const pipeline = redis.pipeline();
        for (const [id, count] of counts) {
          pipeline.hset(audienceKey(id), nodeId, `${count}:${at}`);
          pipeline.pexpire(audienceKey(id), ttlMs);
        }
        await pipeline.exec();
      },
      withdraw: async (nodeId, competitionIds) => {
        // Nothing to withdraw from a connection that is gone (the counts expire by themselves).
        if (redis.status !== 'ready') return;
        await Promise.all(competitionIds.map((id) => redis.hdel(audienceKey(id), nodeId)));
      },
      othersOf: async (nodeId, competitionId) => {
        const fields = await redis.hgetall(audienceKey(competitionId));
        return Object.entries(fields)
          .filter(([node]) => node !== nodeId)
          .map(([, value]) => {
            const [count = 0, at = 0] = value.split(':').map(Number);
            return { count, at };
          });
      },
    };
  }

  socketAdapter(): ServerOptions['adapter'] {
    return createAdapter(this.redis, { streamName: 'podium:sio', sessionKeyPrefix: 'podium:sio:session:' });
  }

  rateLimits(settings: Partial<RateLimitSettings> = {}): RateLimits {
    return new RateLimits(this.redis, settings);
  }
}
