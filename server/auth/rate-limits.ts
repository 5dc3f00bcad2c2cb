/**
 * Rate limits. With a Redis client the counters are shared in Redis, so a limit holds across every
 * Podium node; without one (embedded mode, a single process) they live in memory. When Redis is
 * unreachable, in-memory counts take over rather than letting every request through. Sign-in
 * limits ask Redis on every attempt; the write limit, on every judge's mark, is decided in memory
 * and shared in the background (see writeLimiter.ts for the trade-off).
 */
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { PodiumError } from '../domain/errors.ts';
import { WriteLimiter } from './writeLimiter.ts';

/** Thrown when a limit is exceeded; transports answer 'rate_limited' (HTTP 429 + Retry-After). */
export class RateLimitedError extends PodiumError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many attempts: try again in ${retryAfterSeconds} s`);
  }
}

export interface RateLimitSettings {
  /** Sign-in attempts per client IP per minute (successful ones are given back). Default 10. */
  signInPerIpPerMinute: number;
  /** Sign-in attempts per account (organiser name or first 4 code characters) per minute. Default 10. */
  signInPerKeyPerMinute: number;
  /** Writes (commands) per actor per second. Default 20. */
  writesPerSecond: number;
  /** Prefix of the limiters' keys; separate prefixes never share counters. Default 'podium:rl'. */
  keyPrefix: string;
}

export const defaultRateLimits: RateLimitSettings = {
  signInPerIpPerMinute: 10,
  signInPerKeyPerMinute: 10,
  writesPerSecond: 20,
  keyPrefix: 'podium:rl',
};

/** One limiter, in Redis when a client is given. */
function limiter(
  redis: Redis | undefined,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (redis === undefined) return memory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: memory });
}

export class RateLimits {
  private readonly signInIp: RateLimiterAbstract;
  private readonly signInKey: RateLimiterAbstract;
  private readonly writes: WriteLimiter;

  constructor(redis?: Redis, settings: Partial<RateLimitSettings> = {}) {
    const s = { ...defaultRateLimits, ...settings };
    this.signInIp = limiter(redis, `${s.keyPrefix}:signin-ip`, s.signInPerIpPerMinute, 60);
    this.signInKey = limiter(redis, `${s.keyPrefix}:signin-key`, s.signInPerKeyPerMinute, 60);
    this.writes = new WriteLimiter(redis, `${s.keyPrefix}:writes`, s.writesPerSecond);
  }

  /** Count one sign-in attempt from `ip` for `account`; throws RateLimitedError over the limit. */
  async signInAttempt(ip: string, account: string): Promise<void> {
    await consume(this.signInIp, ip);
    await consume(this.signInKey, account);
  }

  /** Give back a successful attempt, so a room of judges behind one NAT can all sign in. */
  async signInSucceeded(ip: string, account: string): Promise<void> {
    await Promise.all([this.signInIp.reward(ip, 1), this.signInKey.reward(account, 1)]);
  }

  /** Count one write by `actorKey`; throws RateLimitedError over the limit (decided without a round trip). */
  async write(actorKey: string): Promise<void> {
    const waitMs = this.writes.consume(actorKey);
    if (waitMs > 0) throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}

async function consume(l: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await l.consume(key, 1);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    throw rejection;
  }
}
