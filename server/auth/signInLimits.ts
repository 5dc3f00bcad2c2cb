/**
 * Sign-in limits (organiser passwords and judge access codes), after rate-limiter-flexible's
 * "login endpoint protection": failures are counted per address, per account-and-address
 * (consecutive, with a doubling block) and per account — but an account's own count never blocks
 * an address that has not failed against it, so a stranger's wrong guesses cannot lock the right
 * password out from another address. docs/API.md ("Sign-in limits") gives the numbers and bounds.
 */
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { addressKey } from './addressKey.ts';
import { RateLimitedError } from './rateLimitedError.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SignInLimitSettings {
  /** Sign-in attempts per address per minute; successful ones are given back. Default 10. */
  signInPerIpPerMinute: number;
  /** Failed sign-ins per address per day, over all accounts. Default 100. */
  signInFailuresPerIpPerDay: number;
  /** Consecutive failures of one address against one account before it waits. Default 5. */
  signInConsecutiveFailures: number;
  /** The first wait after those failures, in seconds; it doubles each time, up to an hour. Default 60. */
  signInBackoffSeconds: number;
  /**
   * Failed sign-ins per account per day, from every address. Beyond it the account is under attack:
   * only addresses that have not failed against it in the last day may still try. Default 100.
   */
  signInFailuresPerAccountPerDay: number;
}

export const defaultSignInLimits: SignInLimitSettings = {
  signInPerIpPerMinute: 10,
  signInFailuresPerIpPerDay: 100,
  signInConsecutiveFailures: 5,
  signInBackoffSeconds: 60,
  signInFailuresPerAccountPerDay: 100,
};

/** One limiter, in Redis when a client is given (with an in-memory stand-in while Redis is away). */
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

/** Seconds until a limiter's window ends, at least 1. */
function seconds(res: RateLimiterRes | null): number {
  return Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
}

/** The sign-in side of the rate limits: ask `before` checking a secret, then report the outcome. */
export class SignInLimits {
  private readonly s: SignInLimitSettings;
  /** Attempts per address per minute (successes given back). */
  private readonly ipMinute: RateLimiterAbstract;
  /** Failures per address per day. */
  private readonly ipDay: RateLimiterAbstract;
  /** Attempts since the last success, per account and address. */
  private readonly pair: RateLimiterAbstract;
  /** How often the pair was blocked in the last day: the backoff exponent. */
  private readonly strikes: RateLimiterAbstract;
  /** Failures per account per day. */
  private readonly account: RateLimiterAbstract;

  constructor(redis: Redis | undefined, keyPrefix: string, settings: SignInLimitSettings) {
    this.s = settings;
    this.ipMinute = limiter(redis, `${keyPrefix}:signin-ip`, settings.signInPerIpPerMinute, MINUTE);
    this.ipDay = limiter(redis, `${keyPrefix}:signin-ip-day`, settings.signInFailuresPerIpPerDay, DAY);
    this.pair = limiter(redis, `${keyPrefix}:signin-pair`, settings.signInConsecutiveFailures, DAY);
    this.strikes = limiter(redis, `${keyPrefix}:signin-strikes`, 1_000_000, DAY);
    this.account = limiter(
      redis,
      `${keyPrefix}:signin-account`,
      settings.signInFailuresPerAccountPerDay,
      DAY,
    );
  }

  /**
   * Count an attempt from `ip` on `account` before its secret is checked; throws RateLimitedError
   * (with the seconds to wait) when this address may not try this account now.
   */
  async before(ip: string, account: string): Promise<void> {
    const address = addressKey(ip);
    const pairKey = `${account}|${address}`;
    await consumeOrThrow(this.ipMinute, address);
    const dayFailures = await this.ipDay.get(address);
    if (dayFailures !== null && dayFailures.consumedPoints >= this.s.signInFailuresPerIpPerDay) {
      throw new RateLimitedError(seconds(dayFailures));
    }
    const pair = await this.consumePair(pairKey);
    const accountFailures = await this.account.get(account);
    if (accountFailures === null || accountFailures.consumedPoints < this.s.signInFailuresPerAccountPerDay) {
      return;
    }
    // Under attack: one try for an address that has not failed against this account today.
    const strikes = await this.strikes.get(pairKey);
    if (pair.consumedPoints > 1 || (strikes?.consumedPoints ?? 0) > 0) {
      throw new RateLimitedError(Math.min(seconds(accountFailures), seconds(strikes ?? pair)));
    }
  }

  /** The secret was wrong: count the failure against the address and the account. */
  async failed(ip: string, account: string): Promise<void> {
    const address = addressKey(ip);
    await Promise.all([this.ipDay.penalty(address, 1), this.account.penalty(account, 1)]);
  }

  /** The secret was right: give the attempt back and forget this address's failures on the account. */
  async succeeded(ip: string, account: string): Promise<void> {
    const address = addressKey(ip);
    const pairKey = `${account}|${address}`;
    await Promise.all([
      this.ipMinute.reward(address, 1),
      this.pair.delete(pairKey),
      this.strikes.delete(pairKey),
    ]);
  }

  /** Count an attempt of the pair; the attempt that crosses the limit blocks it, doubling each time. */
  private async consumePair(pairKey: string): Promise<RateLimiterRes> {
    try {
      return await this.pair.consume(pairKey, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (rejection.consumedPoints !== this.s.signInConsecutiveFailures + 1) {
        throw new RateLimitedError(seconds(rejection));
      }
      const strike = await this.strikes.penalty(pairKey, 1);
      const wait = Math.min(HOUR, this.s.signInBackoffSeconds * 2 ** Math.min(20, strike.consumedPoints - 1));
      await this.pair.block(pairKey, wait);
      throw new RateLimitedError(wait);
    }
  }
}

async function consumeOrThrow(l: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await l.consume(key, 1);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(seconds(rejection));
    throw rejection;
  }
}
