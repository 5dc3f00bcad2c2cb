/**
 * What the server processes of one deployment share besides the store: judges' presence, the
 * audience counts, rate limits and the Socket.IO adapter. One interface, two implementations
 * (as Colyseus' Presence: local and Redis): LocalCluster for a single process (the embedded
 * store), RedisCluster for nodes sharing a Redis. The live layer and auth see only this interface.
 */
import type { ServerOptions } from 'socket.io';
import type { RateLimits, RateLimitSettings } from '../auth/rate-limits.ts';

/** Judges' last heartbeats, per competition and event. */
export interface PresenceStore {
  /** Record a heartbeat of `judgeId` at `at` (ms); returns the previous one, or null. */
  touch(competitionId: string, eventId: string, judgeId: string, at: number): Promise<number | null>;
  /** judgeId → last heartbeat (ms) of every judge seen for the event. */
  lastSeen(competitionId: string, eventId: string): Promise<Map<string, number>>;
}

/** Each node's count of spectators per competition. */
export interface AudienceStore {
  /** Publish this node's counts (competition → spectators) taken at `at`; they expire after `ttlMs`. */
  report(nodeId: string, counts: ReadonlyMap<string, number>, at: number, ttlMs: number): Promise<void>;
  /** Withdraw this node's counts for these competitions (the node is stopping). */
  withdraw(nodeId: string, competitionIds: readonly string[]): Promise<void>;
  /** The counts other nodes than `nodeId` reported for a competition, with when they were taken. */
  othersOf(nodeId: string, competitionId: string): Promise<Array<{ count: number; at: number }>>;
}

export interface Cluster {
  readonly presence: PresenceStore;
  readonly audience: AudienceStore;
  /** The Socket.IO adapter every namespace uses; undefined: Socket.IO's in-process one. */
  socketAdapter(): ServerOptions['adapter'] | undefined;
  /** Sign-in and write limits that hold across every node. */
  rateLimits(settings?: Partial<RateLimitSettings>): RateLimits;
}
