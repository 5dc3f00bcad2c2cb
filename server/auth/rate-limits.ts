/**
 * Rate limits. With a Redis client the counters are shared in Redis, so a limit holds across every
 * Podium node; without one (embedded mode, a single process) they live in memory. When Redis is
 * unreachable, in-memory counts take over rather than letting every request through. Sign-in
 * limits (signInLimits.ts) ask Redis on every attempt; the write limit, on every judge's mark, is
 * decided in memory and shared in the background (see writeLimiter.ts for the trade-off).
 */
import type { Redis } from 'ioredis';
import { RateLimitedError } from './rateLimitedError.ts';
import { defaultSignInLimits, SignInLimits, type SignInLimitSettings } from './signInLimits.ts';
import { WriteLimiter } from './writeLimiter.ts';

export { RateLimitedError } from './rateLimitedError.ts';

export interface RateLimitSettings extends SignInLimitSettings {
  /** Writes (commands) per actor per second. Default 20. */
  writesPerSecond: number;
  /** Prefix of the limiters' keys; separate prefixes never share counters. Default 'podium:rl'. */
  keyPrefix: string;
}

export const defaultRateLimits: RateLimitSettings = {
  ...defaultSignInLimits,
  writesPerSecond: 20,
  keyPrefix: 'podium:rl',
};

/** Every rate limit of one process: sign-ins and writes. */
export class RateLimits {
  /** Organiser and judge sign-ins. */
  readonly signIn: SignInLimits;
  private readonly writes: WriteLimiter;

  constructor(redis?: Redis, settings: Partial<RateLimitSettings> = {}) {
    const s = { ...defaultRateLimits, ...settings };
    this.signIn = new SignInLimits(redis, s.keyPrefix, s);
    this.writes = new WriteLimiter(redis, `${s.keyPrefix}:writes`, s.writesPerSecond);
  }

  /** Count one write by `actorKey`; throws RateLimitedError over the limit (decided without a round trip). */
  async write(actorKey: string): Promise<void> {
    const waitMs = this.writes.consume(actorKey);
    if (waitMs > 0) throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}
