/**
 * A live board: the ranking of one board id, kept current from the server's deltas.
 * subscribe → snapshot (ack); board:delta → apply unless it starts after our version (then fetch a fresh
 * snapshot); board:reset (freeze, reveal step, set-up change) and every reconnect → fresh snapshot.
 * Rows are re-ranked locally with the shared reference ranking, exactly as the server ranks them.
 * Deltas are merged into the model as they arrive, but published (re-ranked, rendered) at most once
 * per `renderMs` (250 ms by default): a phone need not repaint eight times a second at event size.
 */
import type { RankedRow } from '../../../shared/boards.ts';
import type { BoardDelta, BoardSnapshot, DeltaRow, RevealState } from '../../../shared/events.ts';
import { rankRows } from '../../../shared/scoring/rankRows.ts';
import { applyDelta, changedIds, deltaDecision } from './delta.ts';
import { ACK_TIMEOUT_MS, type AdminSocket, type PublicSocket } from './socket.ts';
import { own } from '../../../shared/records.ts';

export type BoardStatus = 'loading' | 'live' | 'error';

/** What changed in one applied delta, for charts and history. */
export interface BoardChange {
  at: number;
  rows: DeltaRow[];
  removed: string[];
}

/** Sockets that can follow boards: /public and /admin speak the same board events. */
export type BoardSocket = PublicSocket | AdminSocket;

export class LiveBoard {
  /** Ranked rows, best first. */
  rows = $state.raw<RankedRow[]>([]);
  /** Number of rows the board holds on the server. */
  total = $state(0);
  version = $state(-1);
  frozen = $state(false);
  /** During a freeze (public view): pending results and the next row the ceremony reveals. */
  reveal = $state.raw<RevealState | null>(null);
  status = $state<BoardStatus>('loading');
  error = $state<string | null>(null);
  /** When the board last changed or was loaded (ms), null before the first snapshot. */
  updatedAt = $state<number | null>(null);
  /** Row id → how many times it changed since opening; bump-driven highlights key on it. */
  changes = $state.raw<Record<string, number>>({});
  /** Ids of the rows changed by the latest delta or reset snapshot. */
  lastChanged = $state.raw<string[]>([]);

  // /admin declares the same board events as /public, so one typed view serves both.
  readonly #socket: PublicSocket;
  // Plain callbacks, not reactive state: nothing renders from this set.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #listeners = new Set<(change: BoardChange) => void>();
  #request = 0;
  #stopped = true;
  /** Version the model holds including deltas not yet published (-1 before the first snapshot). */
  #heldVersion = -1;
  /** Deltas received since the last publication, merged: latest row states and removals. */
  // Plain bookkeeping, not reactive state: only the published rows render.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pendingRows = new Map<string, DeltaRow>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pendingRemoved = new Set<string>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    socket: BoardSocket,
    readonly competitionId: string,
    readonly board: string,
    /** Publish merged deltas at most this often (ms); 0 publishes every delta at once. */
    readonly renderMs = 250,
  ) {
    this.#socket = socket as PublicSocket;
  }

  /** Start following the board; returns a function that stops (usable as an $effect cleanup). */
  start(): () => void {
    this.#stopped = false;
    this.#socket.on('board:delta', this.#onDelta);
    this.#socket.on('board:reset', this.#onReset);
    this.#socket.on('connect', this.#onConnect);
    if (this.#socket.connected) this.refresh();
    return () => this.stop();
  }

  /** Stop following: listeners off, server told we left. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#dropPending();
    this.#socket.off('board:delta', this.#onDelta);
    this.#socket.off('board:reset', this.#onReset);
    this.#socket.off('connect', this.#onConnect);
    if (this.#socket.connected) {
      this.#socket.emit('board:unsubscribe', { competitionId: this.competitionId, board: this.board });
    }
  }

  /** Be told of every applied delta (not of snapshots). Returns an unsubscribe function. */
  onChange(listener: (change: BoardChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ask for a fresh snapshot; the latest request wins if several overlap. */
  refresh(): void {
    const request = ++this.#request;
    this.#socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('board:subscribe', { competitionId: this.competitionId, board: this.board }, (err, ack) => {
        if (this.#stopped || request !== this.#request) return;
        if (err !== null) {
          // Lost on a flaky network: the reconnect handler or the next delta gap asks again.
          if (this.status !== 'live') this.#fail('timeout');
          setTimeout(() => this.#retry(request), 2_000);
          return;
        }
        if (!ack.ok) {
          this.#fail(ack.message);
          return;
        }
        this.#applySnapshot(ack);
      });
  }

  #retry(request: number): void {
    if (!this.#stopped && request === this.#request && this.#socket.connected) this.refresh();
  }

  #fail(message: string): void {
    this.status = 'error';
    this.error = message;
  }

  #applySnapshot(snapshot: BoardSnapshot): void {
    this.#dropPending();
    this.#heldVersion = snapshot.version;
    const rows = rankRows(snapshot.rows);
    // A snapshot after a reset (reveal step, correction) highlights the rows it changed, like a delta.
    if (this.status === 'live') this.#bump(changedIds(this.rows, rows));
    this.rows = rows;
    this.total = snapshot.total;
    this.version = snapshot.version;
    this.frozen = snapshot.frozen;
    this.reveal = snapshot.reveal ?? null;
    this.status = 'live';
    this.error = null;
    this.updatedAt = Date.now();
  }

  #bump(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const changes = { ...this.changes };
    for (const id of ids) changes[id] = (own(changes, id) ?? 0) + 1;
    this.changes = changes;
    this.lastChanged = [...ids];
  }

  #onConnect = (): void => this.refresh();

  #onReset = (req: { competitionId: string; board: string }): void => {
    if (req.competitionId === this.competitionId && req.board === this.board) this.refresh();
  };

  #onDelta = (delta: BoardDelta): void => {
    if (delta.competitionId !== this.competitionId || delta.board !== this.board) return;
    if (this.status !== 'live') return;
    // Overlapping deltas apply (their rows are final states); stale or replayed ones are ignored.
    const decision = deltaDecision(this.#heldVersion, delta);
    if (decision === 'stale') return;
    if (decision === 'gap') {
      this.#dropPending();
      this.refresh(); // we missed a delta: only a snapshot is trustworthy now
      return;
    }
    for (const id of delta.removed) {
      this.#pendingRows.delete(id);
      this.#pendingRemoved.add(id);
    }
    for (const row of delta.rows) {
      this.#pendingRemoved.delete(row.id);
      this.#pendingRows.set(row.id, row);
    }
    this.#heldVersion = delta.version;
    if (this.renderMs <= 0) this.#publish();
    else this.#flushTimer ??= setTimeout(() => this.#publish(), this.renderMs);
  };

  #dropPending(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#pendingRows.clear();
    this.#pendingRemoved.clear();
  }

  /** Re-rank once with every delta merged since the last publication, and tell the listeners. */
  #publish(): void {
    this.#flushTimer = null;
    if (this.#stopped || this.status !== 'live') return;
    const rows = [...this.#pendingRows.values()];
    const removed = [...this.#pendingRemoved];
    this.#pendingRows.clear();
    this.#pendingRemoved.clear();
    const next = applyDelta(this.rows, { rows, removed });
    this.total = Math.max(0, this.total + next.length - this.rows.length);
    this.rows = next;
    this.version = this.#heldVersion;
    const at = Date.now();
    this.updatedAt = at;
    this.#bump(rows.map((row) => row.id));
    const change: BoardChange = { at, rows, removed };
    for (const listener of this.#listeners) listener(change);
  }
}
