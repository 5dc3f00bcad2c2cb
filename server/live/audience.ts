/**
 * How many spectators watch each competition, across all nodes. Each node counts its own /public
 * sockets in a competition room (no network), writes that count with a timestamp into one Redis
 * hash per competition (field = node id), and every few seconds sums the fresh fields and pushes
 * the total to its own local sockets. Cost per tick: one HSET + one HGETALL per watched
 * competition per node, whatever the number of spectators (fetchSockets would ship every socket).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { PodiumIo } from './io.ts';
import { competitionRoom } from './rooms.ts';

const ROOM_PREFIX = competitionRoom('');

/** Redis hash of per-node counts for one competition (hash tag: same slot as its data). */
export const audienceKey = (competitionId: string): string => `podium:{${competitionId}}:audience`;

export class AudienceCounter {
  private timer: NodeJS.Timeout | undefined;
  /** Competitions this node reported a non-zero count for at the last tick. */
  private reported = new Set<string>();
  /** Totals computed at the last tick, for synchronous readers (the HTTP competition list). */
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly io: PodiumIo,
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly redis: Redis | undefined,
    private readonly intervalMs = 3_000,
  ) {}

  /** Start the periodic count-and-push. */
  start(): void {
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.logger.warn({ err }, 'audience tick failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stop and withdraw this node's counts. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.redis && this.redis.status === 'ready') {
      await Promise.all([...this.reported].map((id) => this.redis?.hdel(audienceKey(id), this.nodeId)));
    }
  }

  /** The total computed at the last tick (or this node's count when never computed). */
  lastKnown(competitionId: string): number {
    return this.latest.get(competitionId) ?? this.localCount(competitionId);
  }

  /** Spectators of a competition on every node (this node only without Redis). */
  async total(competitionId: string): Promise<number> {
    if (!this.redis) return this.localCount(competitionId);
    const fields = await this.redis.hgetall(audienceKey(competitionId));
    const freshAfter = Date.now() - 3 * this.intervalMs;
    let sum = 0;
    for (const value of Object.values(fields)) {
      const [count, at] = value.split(':').map(Number);
      if (count !== undefined && at !== undefined && at >= freshAfter) sum += count;
    }
    this.latest.set(competitionId, sum);
    return sum;
  }

  /** Count locally, publish, and push totals to this node's watchers. Exposed for tests. */
  async tick(): Promise<void> {
    const counts = this.localCounts();
    if (this.redis) {
      const now = Date.now();
      const ids = new Set([...counts.keys(), ...this.reported]);
      const pipeline = this.redis.pipeline();
      for (const id of ids) {
        pipeline.hset(audienceKey(id), this.nodeId, `${counts.get(id) ?? 0}:${now}`);
        pipeline.pexpire(audienceKey(id), 10 * this.intervalMs);
      }
      await pipeline.exec();
      this.reported = new Set([...counts].filter(([, n]) => n > 0).map(([id]) => id));
    }
    const watched = new Set([...counts.keys(), ...this.adminWatched()]);
    for (const competitionId of watched) {
      const count = await this.total(competitionId);
      const room = competitionRoom(competitionId);
      this.io.public.local.to(room).emit('audience', { competitionId, count });
      this.io.admin.local.to(room).emit('audience', { competitionId, count });
    }
  }

  private localCount(competitionId: string): number {
    return this.io.public.adapter.rooms.get(competitionRoom(competitionId))?.size ?? 0;
  }

  private localCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [room, sockets] of this.io.public.adapter.rooms) {
      if (room.startsWith(ROOM_PREFIX)) counts.set(room.slice(ROOM_PREFIX.length), sockets.size);
    }
    return counts;
  }

  private adminWatched(): string[] {
    return [...this.io.admin.adapter.rooms.keys()]
      .filter((room) => room.startsWith(ROOM_PREFIX))
      .map((room) => room.slice(ROOM_PREFIX.length));
  }
}
