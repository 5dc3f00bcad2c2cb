/**
 * How many spectators watch each competition, across all nodes. Each node counts its own /public
 * sockets in a competition room (no network), reports that count with a timestamp to the Cluster's
 * audience store (server/cluster; with Redis one hash per competition, field = node id), and every
 * few seconds adds the other nodes' fresh counts to its own and pushes the total to its own local
 * sockets. Cost per tick with Redis: one HSET + one HGETALL per watched competition per node,
 * whatever the number of spectators (fetchSockets would ship every socket).
 */
import type { Namespace } from 'socket.io';
import type { AudienceStore } from '../cluster/types.ts';
import type { Logger } from '../logger.ts';
import type { PodiumIo } from './io.ts';
import type { RoomWriter } from './roomWriter.ts';
import { competitionRoom } from './rooms.ts';

const ROOM_PREFIX = competitionRoom('');

export class AudienceCounter {
  private timer: NodeJS.Timeout | undefined;
  /** Competitions this node reported a non-zero count for at the last tick. */
  private reported = new Set<string>();
  /** The other nodes' counts summed at the last tick, for synchronous readers (the HTTP competition list). */
  private readonly others = new Map<string, number>();
  /** Competition rooms whose spectators are still being written the last count. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly io: PodiumIo,
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly store: AudienceStore,
    /** Writes the count to spectators in slices, as board deltas are (a room may hold thousands). */
    private readonly spectators: RoomWriter,
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
    await this.store.withdraw(this.nodeId, [...this.reported]);
  }

  /** This node's count now plus the other nodes' counts as of the last tick. */
  lastKnown(competitionId: string): number {
    return (this.others.get(competitionId) ?? 0) + this.localCount(competitionId);
  }

  /** Spectators of a competition on every node: this node's count now, the others' fresh reports. */
  async total(competitionId: string): Promise<number> {
    const reports = await this.store.othersOf(this.nodeId, competitionId);
    const freshAfter = Date.now() - 3 * this.intervalMs;
    const others = reports.filter((r) => r.at >= freshAfter).reduce((sum, r) => sum + r.count, 0);
    this.others.set(competitionId, others);
    return others + this.localCount(competitionId);
  }

  /** Count locally, publish, and push totals to this node's watchers. Exposed for tests. */
  async tick(): Promise<void> {
    const counts = this.localCounts();
    // A competition whose count fell to zero is reported once more, as zero.
    const reports = new Map([...this.reported].map((id) => [id, 0]));
    for (const [id, n] of counts) reports.set(id, n);
    await this.store.report(this.nodeId, reports, Date.now(), 10 * this.intervalMs);
    this.reported = new Set([...counts].filter(([, n]) => n > 0).map(([id]) => id));
    const watched = new Set([...counts.keys(), ...this.adminWatched()]);
    for (const competitionId of watched) {
      const count = await this.total(competitionId);
      const room = competitionRoom(competitionId);
      this.pushToSpectators(competitionId, room, count);
      this.io.admin.local.to(room).emit('audience', { competitionId, count });
    }
  }

  /**
   * Write the count to this node's spectators of the competition. Socket.IO's own room emit
   * would hold the event loop for the whole room at once (~100 ms per 5,000 viewers, every tick),
   * delaying judges and board deltas; the room writer yields between slices. A room still being
   * written when the next tick comes is left alone: that tick's count is no fresher than the next.
   * A viewer skipped as too slow gets the count then known once it has caught up.
   */
  private pushToSpectators(competitionId: string, room: string, count: number): void {
    if (this.writing.has(room)) return;
    this.writing.add(room);
    this.spectators
      .write(this.io.public as unknown as Namespace, room, 'audience', { competitionId, count }, (socket) =>
        socket.emit('audience', { competitionId, count: this.lastKnown(competitionId) }),
      )
      .catch((err: unknown) => this.logger.warn({ err, competitionId }, 'audience push failed'))
      .finally(() => this.writing.delete(room));
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
