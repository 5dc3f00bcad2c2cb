/** The Cluster of a single process (the embedded store): everything in memory. */
import { RateLimits, type RateLimitSettings } from '../auth/rate-limits.ts';
import type { AudienceStore, Cluster, PresenceStore } from './types.ts';

export class LocalCluster implements Cluster {
  readonly presence: PresenceStore = new LocalPresence();
  /** One process: there are no other nodes to count. */
  readonly audience: AudienceStore = {
    report: async () => undefined,
    withdraw: async () => undefined,
    othersOf: async () => [],
  };

  socketAdapter(): undefined {
    return undefined;
  }

  rateLimits(settings: Partial<RateLimitSettings> = {}): RateLimits {
    return new RateLimits(undefined, settings);
  }
}

class LocalPresence implements PresenceStore {
  private readonly events = new Map<string, Map<string, number>>();

  async touch(competitionId: string, eventId: string, judgeId: string, at: number): Promise<number | null> {
    const key = `${competitionId}\n${eventId}`;
    const event = this.events.get(key) ?? new Map<string, number>();
    this.events.set(key, event);
    const previous = event.get(judgeId) ?? null;
    event.set(judgeId, at);
    return previous;
  }

  async lastSeen(competitionId: string, eventId: string): Promise<Map<string, number>> {
    return new Map(this.events.get(`${competitionId}\n${eventId}`) ?? []);
  }
}
