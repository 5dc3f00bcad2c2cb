/**
 * Judges' presence: tablets send 'presence:heartbeat' every few seconds; a judge is online when
 * a heartbeat arrived within ONLINE_WINDOW_MS. Last-seen times live in the Cluster's presence
 * store (server/cluster: Redis, shared by all nodes, or memory). A judge coming online is pushed at once; every SWEEP_MS each node pushes
 * the lists of the events its own chief judges and organisers follow (that is how "went offline"
 * travels).
 */
import type { PresenceStore } from '../cluster/types.ts';
import type { Logger } from '../logger.ts';
import type { JudgePresence } from '../../shared/events.ts';
import type { LiveService } from './ports.ts';
import type { PodiumIo } from './io.ts';
import { chiefRoom, competitionRoom } from './rooms.ts';

export const ONLINE_WINDOW_MS = 10_000;
const SWEEP_MS = 5_000;

export class PresenceTracker {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: PodiumIo,
    private readonly service: LiveService,
    private readonly logger: Logger,
    private readonly store: PresenceStore,
  ) {}

  /** Start the periodic push to local chief judges and organisers. */
  start(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn({ err }, 'presence sweep failed'));
    }, SWEEP_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Record a heartbeat of `judgeId` for an event; pushes the event's list if the judge was offline. */
  async heartbeat(competitionId: string, eventId: string, judgeId: string): Promise<void> {
    const now = Date.now();
    const before = await this.store.touch(competitionId, eventId, judgeId, now);
    if (before === null || now - before > ONLINE_WINDOW_MS) {
      const judges = await this.list(competitionId, eventId);
      const update = { eventId, judges };
      this.io.judge.to(chiefRoom(competitionId, eventId)).emit('presence:update', update);
      this.io.admin.to(competitionRoom(competitionId)).emit('presence:update', update);
    }
  }

  /** Presence of every judge assigned to the event. */
  async list(competitionId: string, eventId: string): Promise<JudgePresence[]> {
    const competition = await this.service.getPublicCompetition(competitionId);
    const seen = await this.store.lastSeen(competitionId, eventId);
    const now = Date.now();
    return competition.judges
      .filter((j) => j.eventIds.includes(eventId))
      .map((j) => {
        const lastSeen = seen.get(j.id) ?? null;
        return { judgeId: j.id, online: lastSeen !== null && now - lastSeen <= ONLINE_WINDOW_MS, lastSeen };
      });
  }

  /** Push current lists to this node's own chief judges and organisers. Exposed for tests. */
  async sweep(): Promise<void> {
    for (const room of this.io.judge.adapter.rooms.keys()) {
      const [kind, competitionId, eventId] = room.split(':');
      if (kind !== 'chief' || !competitionId || !eventId) continue;
      const judges = await this.list(competitionId, eventId);
      this.io.judge.local.to(room).emit('presence:update', { eventId, judges });
    }
    for (const room of this.io.admin.adapter.rooms.keys()) {
      const [kind, competitionId] = room.split(':');
      if (kind !== 'comp' || !competitionId) continue;
      const competition = await this.service.getPublicCompetition(competitionId);
      for (const event of competition.events) {
        const judges = await this.list(competitionId, event.id);
        this.io.admin.local.to(room).emit('presence:update', { eventId: event.id, judges });
      }
    }
  }
}
