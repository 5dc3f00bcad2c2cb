/**
 * Pushes committed changes to rooms. Board deltas are coalesced per board with a leading edge
 * (see coalesce.ts) and emitted ONCE per room — Socket.IO encodes a room broadcast once, and the
 * adapter forwards it to the other nodes. Public rooms never see frozen or embargoed changes:
 * they get 'board:reset' when the public view changes wholesale and re-fetch a snapshot.
 */
import type { Logger } from '../logger.ts';
import type { PodiumMetrics } from '../metrics.ts';
import type { BoardDelta, PublicControl, StageState } from '../../shared/events.ts';
import { LeadingEdgeCoalescer, mergeDeltas } from './coalesce.ts';
import type { LiveChange, LiveService, PublicView } from './ports.ts';
import { competitionRoom, judgeRoom, publicBoardRoom, staffBoardRoom } from './rooms.ts';
import type { PodiumIo } from './io.ts';
import { publicStage } from './visibility.ts';

interface Pending {
  delta: BoardDelta;
  /** When the oldest change merged in was committed (ms). */
  at: number;
}

export class Broadcaster {
  private readonly coalescer: LeadingEdgeCoalescer<Pending>;
  private readonly unsubscribe: () => void;
  /** Per competition: public emits run in order even though each reads the public view first. */
  private readonly publicQueues = new Map<string, Promise<void>>();

  constructor(
    private readonly io: PodiumIo,
    private readonly service: LiveService,
    private readonly metrics: PodiumMetrics,
    private readonly logger: Logger,
    coalesceMs: number,
  ) {
    this.coalescer = new LeadingEdgeCoalescer<Pending>(
      coalesceMs,
      (a, b) => ({ delta: mergeDeltas(a.delta, b.delta), at: Math.min(a.at, b.at) }),
      (_key, pending) => this.emitBoard(pending),
    );
    this.unsubscribe = service.onChange((change) => this.onChange(change));
  }

  /** Send what is pending and stop listening. */
  close(): void {
    this.unsubscribe();
    this.coalescer.flushAll();
  }

  private onChange(change: LiveChange): void {
    switch (change.kind) {
      case 'board': {
        const { competitionId, board } = change.delta;
        this.coalescer.push(`${competitionId}\n${board}`, { delta: change.delta, at: Date.now() });
        return;
      }
      case 'stage':
        this.emitStage(change.stage);
        return;
      case 'control':
        this.emitControl(change.control);
        return;
      case 'reset':
        this.emitReset(change.competitionId, change.boards);
        return;
      case 'sheet':
        this.io.judge.to(judgeRoom(change.competitionId, change.judgeId)).emit('sheet:update', change.line);
        return;
    }
  }

  private emitBoard({ delta, at }: Pending): void {
    this.metrics.broadcastRows.observe({ kind: 'delta' }, delta.rows.length + delta.removed.length);
    this.metrics.broadcastBytes.observe({ kind: 'delta' }, Buffer.byteLength(JSON.stringify(delta)));
    this.io.admin.to(staffBoardRoom(delta.competitionId, delta.board)).emit('board:delta', delta);
    this.metrics.scoreToBroadcast.observe((Date.now() - at) / 1000);
    this.withPublicView(delta.competitionId, (view) => {
      if (view.live(delta.board)) {
        this.io.public.to(publicBoardRoom(delta.competitionId, delta.board)).emit('board:delta', delta);
      }
    });
  }

  private emitStage(stage: StageState): void {
    const room = competitionRoom(stage.competitionId);
    this.io.judge.to(room).emit('stage:update', stage);
    this.io.admin.to(room).emit('stage:update', stage);
    this.withPublicView(stage.competitionId, (view) => {
      this.io.public.to(room).emit('stage:update', publicStage(stage, view.control));
    });
  }

  private emitControl(control: PublicControl): void {
    const room = competitionRoom(control.competitionId);
    this.io.public.to(room).emit('control:update', control);
    this.io.judge.to(room).emit('control:update', control);
    this.io.admin.to(room).emit('control:update', control);
  }

  private emitReset(competitionId: string, boards: string[]): void {
    for (const board of boards) {
      const req = { competitionId, board };
      this.io.public.to(publicBoardRoom(competitionId, board)).emit('board:reset', req);
      this.io.admin.to(staffBoardRoom(competitionId, board)).emit('board:reset', req);
    }
  }

  /**
   * Run `emit` with the competition's current public view, read from the store each time so a
   * freeze committed on another node is honoured; emits of one competition keep their order.
   */
  private withPublicView(competitionId: string, emit: (view: PublicView) => void): void {
    const previous = this.publicQueues.get(competitionId) ?? Promise.resolve();
    const next = previous
      .then(() => this.service.publicView(competitionId))
      .then(emit)
      .catch((err: unknown) => this.logger.error({ err, competitionId }, 'public broadcast failed'))
      .finally(() => {
        if (this.publicQueues.get(competitionId) === next) this.publicQueues.delete(competitionId);
      });
    this.publicQueues.set(competitionId, next);
  }
}
