/**
 * Venue keys: the credential a venue node presents to the hub (`Authorization: Venue <key>`). One
 * live key per (competition, venue); issuing a new one revokes the old; Podium keeps only the
 * SHA-256 of a key. Failed presentations are limited per client address, every venue's requests per key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { RateLimitedError } from '../auth/rateLimitedError.ts';
import { PodiumError } from '../domain/errors.ts';
import type { Store } from '../store/types.ts';

const KEYS = 'venue.key';
const KEY_OF = 'venue.keyOf';

export interface VenueIdentity {
  competitionId: string;
  venueId: string;
}

const identitySchema = z.strictObject({
  competitionId: z.string(),
  venueId: z.string(),
  issuedAt: z.number(),
});

/** Link requests a venue may make per second (a node polls a few times a second at most). */
export const VENUE_REQUESTS_PER_SECOND = 20;
/** Wrong keys an address may present per minute. */
export const VENUE_KEY_FAILURES_PER_MINUTE = 10;

function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class VenueKeys {
  private readonly failures = new RateLimiterMemory({ points: VENUE_KEY_FAILURES_PER_MINUTE, duration: 60 });
  private readonly requests = new RateLimiterMemory({ points: VENUE_REQUESTS_PER_SECOND, duration: 1 });

  constructor(private readonly store: Store) {}

  /** A new key for the venue (shown once); the venue's previous key stops working. */
  async issue(identity: VenueIdentity): Promise<string> {
    await this.revoke(identity);
    const key = `pv_${randomBytes(32).toString('base64url')}`;
    const hash = hashOf(key);
    await this.store.putRecord(KEYS, hash, { ...identity, issuedAt: Date.now() });
    await this.store.putRecord(KEY_OF, `${identity.competitionId}:${identity.venueId}`, hash);
    return key;
  }

  /** Revoke the venue's key; true when it had one. */
  async revoke(identity: VenueIdentity): Promise<boolean> {
    const id = `${identity.competitionId}:${identity.venueId}`;
    const hash = await this.store.getRecord(KEY_OF, id);
    if (typeof hash !== 'string') return false;
    await this.store.deleteRecord(KEYS, hash);
    await this.store.deleteRecord(KEY_OF, id);
    return true;
  }

  /** True when the venue has a live key. */
  async has(identity: VenueIdentity): Promise<boolean> {
    return (
      typeof (await this.store.getRecord(KEY_OF, `${identity.competitionId}:${identity.venueId}`)) ===
      'string'
    );
  }

  /** The venue a presented key belongs to; 'unauthorized' (counted per address) or 'rate_limited'. */
  async verify(header: string | undefined, address: string): Promise<VenueIdentity> {
    const key = /^Venue (pv_[A-Za-z0-9_-]{43})$/.exec(header ?? '')?.[1];
    const stored = key === undefined ? null : await this.store.getRecord(KEYS, hashOf(key));
    const parsed = identitySchema.safeParse(stored);
    if (!parsed.success || key === undefined) {
      await consume(this.failures, address);
      throw new PodiumError('unauthorized', 'a valid venue key is needed (Authorization: Venue <key>)');
    }
    await consume(this.requests, hashOf(key));
    return { competitionId: parsed.data.competitionId, venueId: parsed.data.venueId };
  }
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
  }
}
