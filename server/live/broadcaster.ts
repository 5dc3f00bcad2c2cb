/**
 * Pushes committed changes to rooms.
 *
 * Board deltas come from the store's change feed (boardFeed.ts), which shows this node EVERY
 * commit (its own and other nodes'), in commit order per board. Each node checks the version chain, coalesces per board
 * with a leading edge (coalesce.ts) and emits ONCE per room to ITS OWN sockets only
 * (`.local`: no adapter round trip per delta, and no interleaving of different nodes' deltas).
 * A hole in the chain (a lost pub/sub message) becomes a 'board:reset' so clients re-snapshot.
 *
 * Stage, control, reset and judge sheet updates are rare and not coalesced: the committing node
 * emits them through the Socket.IO adapter, which delivers them on every node.
 * Public rooms never see frozen or embargoed changes: they get 'board:reset' when the public view
 * changes wholesale and re-fetch a snapshot.
 */
import type { Namespace } from 'socket.io';
import type { Logger } from '../logger.ts';
import type { PodiumMetrics } from '../metrics.ts';
import type { BoardDelta, PublicControl, StageState } from '../../shared/events.ts';
import type { BoardFeed } from './boardFeed.ts';
import { BoardVersions } from './boardVersions.ts';
import { LeadingEdgeCoalescer, mergeDeltas } from './coalesce.ts';
import type { LiveChange, LiveService, PublicView } from './ports.ts';
import { competitionRoom, judgeRoom, publicBoardRoom, staffBoardRoom } from './rooms.ts';
import type { PodiumIo } from './io.ts';
import { publicStage } from '../domain/visibility.ts';
import { createRoomWriter, type RoomWriter } from './roomWriter.ts';

/**
 * The coalescing window of a board adapts to what one delta costs to send to its viewers here:
 * FANOUT_SHARE × the last write's duration, between MIN_WINDOW_MS and the configured maximum.
 * A small audience gets near-immediate updates; a large one gets up to the configured window, so
 * writing deltas never takes more than about a third of the event loop.
 */
const FANOUT_SHARE = 3;
const MIN_WINDOW_MS = 10;

interface Pending {
  delta: BoardDelta;
  /** When this node received the oldest change merged in (ms). */
  at: number;
}

export class Broadcaster {
  private readonly coalescer: LeadingEdgeCoalescer<Pending>;
  private readonly versions = new BoardVersions();
  private readonly stopFeed: () => void;
  private readonly unsubscribe: () => void;
  /** Per competition: public emits run in order even though each reads the public view first. */
  private readonly publicQueues = new Map<string, Promise<void>>();
  /** Per board key: how long the last public delta took to write to this node's viewers (ms). */
  private readonly fanoutMs = new Map<string, number>();
  /** `feed`: the store's change feed (boardFeed.ts); `service`: everything else committed here. */
  constructor(
    private readonly io: PodiumIo,
    private readonly service: LiveService,
    private readonly metrics: PodiumMetrics,
    private readonly logger: Logger,
    coalesceMs: number,
    private readonly feed: BoardFeed,
    /** Writes deltas to spectators (spectatorWriter below, shared with the audience count). */
    private readonly roomWriter: RoomWriter,
  ) {
    this.coalescer = new LeadingEdgeCoalescer<Pending>(
      (key) => this.windowOf(key, coalesceMs),
      (a, b) => ({ delta: mergeDeltas(a.delta, b.delta), at: Math.min(a.at, b.at) }),
      (_key, pending) => this.emitBoard(pending),
    );
    this.stopFeed = feed.start({ delta: (delta) => this.onDelta(delta), resync: () => this.resync() });
    this.unsubscribe = service.onChange((change) => this.onChange(change));
  }

  /** The coalescing window of a board, at most `maxMs` (see FANOUT_SHARE). */
  private windowOf(key: string, maxMs: number): number {
    const fanout = this.fanoutMs.get(key);
    if (maxMs <= 0 || fanout === undefined) return maxMs;
    return Math.min(maxMs, Math.max(MIN_WINDOW_MS, Math.ceil(FANOUT_SHARE * fanout)));
  }

  /** Send what is pending and stop listening. */
  close(): void {
    this.stopFeed();
    this.unsubscribe();
    this.coalescer.flushAll();
  }

  private onDelta(delta: BoardDelta): void {
    const key = boardKeyOf(delta.competitionId, delta.board);
    switch (this.versions.arrive(key, delta.prev, delta.version)) {
      case 'next':
        this.coalescer.push(key, { delta, at: Date.now() });
        return;
      case 'gap':
        this.logger.warn({ ...splitKey(key), version: delta.version }, 'board versions missed: reset');
        this.resetLocally(key);
        return;
      case 'stale':
        return;
    }
  }

  /** After a feed reconnect: reset every board the store moved past while we were not listening. */
  private resync(): void {
    for (const key of this.versions.keys()) {
      const { competitionId, board } = splitKey(key);
      this.feed.currentVersion(competitionId, board).then(
        (current) => {
          if (this.versions.overtaken(key, current)) this.resetLocally(key);
        },
        (err: unknown) => this.logger.warn({ err, competitionId, board }, 'board version check failed'),
      );
    }
  }

  /** Drop the board's pending delta (a reset supersedes it) and tell this node's viewers to re-snapshot. */
  private resetLocally(key: string): void {
    this.coalescer.discard(key);
    const { competitionId, board } = splitKey(key);
    const req = { competitionId, board };
    this.io.admin.local.to(staffBoardRoom(competitionId, board)).emit('board:reset', req);
    // Through the public queue, so it cannot overtake a delta of this board still waiting there.
    void this.withPublicView(competitionId, () => {
      this.io.public.local.to(publicBoardRoom(competitionId, board)).emit('board:reset', req);
    });
  }

  private onChange(change: LiveChange): void {
    switch (change.kind) {
      case 'stage':
        this.emitStage(change.stage);
        return;
      case 'control':
        this.emitControl(change.control);
        return;
      case 'reset':
        this.emitReset(change.competitionId, change.boards);
        return;
      case 'sheet': {
        // One emit to all the rooms: a single adapter message however many judges share the line.
        const rooms = change.judgeIds.map((id) => judgeRoom(change.competitionId, id));
        this.io.judge.to(rooms).emit('sheet:update', change.line);
        return;
      }
      case 'divergence': {
        const rooms = change.chiefIds.map((id) => judgeRoom(change.competitionId, id));
        if (rooms.length > 0) this.io.judge.to(rooms).emit('divergence', change.flag);
        this.io.admin.to(competitionRoom(change.competitionId)).emit('divergence', change.flag);
        return;
      }
    }
  }

  /**
   * Send a (coalesced) delta to this node's staff and spectators; the promise settles when the
   * spectators' write is done, and the coalescer holds the board's next delta until then.
   */
  private emitBoard({ delta, at }: Pending): Promise<void> | undefined {
    const staffRoom = staffBoardRoom(delta.competitionId, delta.board);
    const publicRoom = publicBoardRoom(delta.competitionId, delta.board);
    // Every node hears every board: skip the work (and the public-view read) where nobody watches.
    const staff = hasLocalSockets(this.io.admin, staffRoom);
    const spectators = hasLocalSockets(this.io.public, publicRoom);
    if (!staff && !spectators) return undefined;
    this.metrics.broadcastRows.observe({ kind: 'delta' }, delta.rows.length + delta.removed.length);
    this.metrics.broadcastBytes.observe({ kind: 'delta' }, Buffer.byteLength(JSON.stringify(delta)));
    if (staff) this.io.admin.local.to(staffRoom).emit('board:delta', delta);
    this.metrics.scoreToBroadcast.observe((Date.now() - at) / 1000);
    if (!spectators) return undefined;
    // The write is sliced across event-loop turns; the public queue keeps the next delta of this
    // competition (and any reset) behind it, so every viewer still sees its deltas in order.
    return this.withPublicView(delta.competitionId, async (view) => {
      if (!view.live(delta.board)) return;
      const started = performance.now();
      const stopTimer = this.metrics.fanoutSeconds.startTimer();
      const sent = await this.roomWriter.write(
        this.io.public as unknown as Namespace,
        publicRoom,
        'board:delta',
        delta,
        (socket) =>
          // A slow viewer missed this delta: once it has caught up it re-reads a snapshot.
          socket.emit('board:reset', { competitionId: delta.competitionId, board: delta.board }),
      );
      stopTimer();
      this.fanoutMs.set(boardKeyOf(delta.competitionId, delta.board), performance.now() - started);
      if (sent.skipped > 0) this.metrics.slowViewerSkips.inc(sent.skipped);
    });
  }

  private emitStage(stage: StageState): void {
    const room = competitionRoom(stage.competitionId);
    this.io.judge.to(room).emit('stage:update', stage);
    this.io.admin.to(room).emit('stage:update', stage);
    void this.withPublicView(stage.competitionId, (view) => {
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
      // Viewers re-snapshot; the version chain starts again from the next delta.
      const key = boardKeyOf(competitionId, board);
      this.coalescer.discard(key);
      this.versions.forget(key);
      const req = { competitionId, board };
      this.io.public.to(publicBoardRoom(competitionId, board)).emit('board:reset', req);
      this.io.admin.to(staffBoardRoom(competitionId, board)).emit('board:reset', req);
    }
  }

  /**
   * Run `emit` with the competition's current public view, read from the store each time so a
   * freeze committed on another node is honoured; emits of one competition keep their order.
   * The promise settles (never rejects) once `emit` is done.
   */
  private withPublicView(
    competitionId: string,
    emit: (view: PublicView) => void | Promise<void>,
  ): Promise<void> {
    const previous = this.publicQueues.get(competitionId) ?? Promise.resolve();
    const next = previous
      .then(() => this.service.publicView(competitionId))
      .then(emit)
      .catch((err: unknown) => this.logger.error({ err, competitionId }, 'public broadcast failed'))
      .finally(() => {
        if (this.publicQueues.get(competitionId) === next) this.publicQueues.delete(competitionId);
      });
    this.publicQueues.set(competitionId, next);
    return next;
  }
}

/**
 * The room writer for spectators: when an engine.io/ws internal it relies on is missing it says so
 * (a warning and the `podium_fanout_public_path` gauge) and uses Socket.IO's public broadcast.
 */
export function spectatorWriter(logger: Logger, metrics: PodiumMetrics): RoomWriter {
  return createRoomWriter({
    onPublicPath: (missing) => {
      logger.warn(
        { missing },
        "spectator fan-out uses Socket.IO's public broadcast: an engine.io/ws internal it relies on is missing (check the pinned versions)",
      );
      metrics.fanoutPublicPath.set({ missing }, 1);
    },
  });
}

/** True when a socket connected to this node is in `room` of `namespace`. */
function hasLocalSockets(namespace: PodiumIo['public'] | PodiumIo['admin'], room: string): boolean {
  return (namespace.adapter.rooms.get(room)?.size ?? 0) > 0;
}

/** Competition ids never contain a newline, so this key splits back unambiguously. */
function boardKeyOf(competitionId: string, board: string): string {
  return `${competitionId}\n${board}`;
}

function splitKey(key: string): { competitionId: string; board: string } {
  const at = key.indexOf('\n');
  return { competitionId: key.slice(0, at), board: key.slice(at + 1) };
}
