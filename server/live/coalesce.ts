/**
 * Merging of board deltas and a per-key throttle with a leading edge: the first change of an
 * idle key goes out at once, later changes within the window are merged and sent when it ends.
 */
import type { BoardDelta, DeltaRow } from '../../shared/events.ts';

/**
 * Merge `next` into `acc` (consecutive deltas of one board). Per row: the first previousRank and
 * previousTotal (where it was before the merged span) and the last row. A row added then removed
 * is only "removed"; a row removed then added again is only a row.
 */
export function mergeDeltas(acc: BoardDelta, next: BoardDelta): BoardDelta {
  const rows = new Map<string, DeltaRow>(acc.rows.map((r) => [r.id, r]));
  const removed = new Set(acc.removed);
  for (const id of next.removed) {
    rows.delete(id);
    removed.add(id);
  }
  for (const row of next.rows) {
    const before = rows.get(row.id);
    removed.delete(row.id);
    rows.set(
      row.id,
      before ? { ...row, previousRank: before.previousRank, previousTotal: before.previousTotal } : row,
    );
  }
  return {
    competitionId: acc.competitionId,
    board: acc.board,
    prev: Math.min(acc.prev, next.prev),
    version: Math.max(acc.version, next.version),
    rows: [...rows.values()],
    removed: [...removed],
  };
}

interface Slot<T> {
  timer: NodeJS.Timeout;
  pending: T | null;
}

/**
 * Throttle with a leading edge, per key. `push` sends an idle key's value at once and opens a
 * window of `windowMs` (a number, or a function of the key read each time a window opens); values
 * pushed inside the window are merged and sent when it closes (which opens a new window). With a
 * window of 0 every value is sent on its own.
 */
export class LeadingEdgeCoalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(
    private readonly windowMs: number | ((key: string) => number),
    private readonly merge: (acc: T, next: T) => T,
    private readonly send: (key: string, value: T) => void,
  ) {}

  /** Offer a value for `key`. */
  push(key: string, value: T): void {
    const slot = this.slots.get(key);
    if (slot === undefined && this.windowOf(key) <= 0) {
      this.send(key, value);
      return;
    }
    if (slot) {
      slot.pending = slot.pending === null ? value : this.merge(slot.pending, value);
      return;
    }
    this.send(key, value);
    this.open(key);
  }

  /** Forget `key`'s pending value and window: its next value goes out at once. */
  discard(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    clearTimeout(slot.timer);
    this.slots.delete(key);
  }

  /** Send everything pending now and stop all timers. */
  flushAll(): void {
    for (const [key, slot] of this.slots) {
      clearTimeout(slot.timer);
      if (slot.pending !== null) this.send(key, slot.pending);
    }
    this.slots.clear();
  }

  private windowOf(key: string): number {
    return typeof this.windowMs === 'function' ? this.windowMs(key) : this.windowMs;
  }

  private open(key: string): void {
    const timer = setTimeout(() => {
      const slot = this.slots.get(key);
      this.slots.delete(key);
      if (slot !== undefined && slot.pending !== null) {
        this.send(key, slot.pending);
        this.open(key);
      }
    }, this.windowOf(key));
    timer.unref();
    this.slots.set(key, { timer, pending: null });
  }
}
