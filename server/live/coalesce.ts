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
  timer: NodeJS.Timeout | undefined;
  pending: T | null;
  /** The last send has not settled yet (its promise is pending). */
  busy: boolean;
  /** The window is over: the next send goes as soon as the last one has settled. */
  closed: boolean;
}

/**
 * Throttle with a leading edge, per key. `push` sends an idle key's value at once and opens a
 * window of `windowMs` (a number, or a function of the key read each time a window opens); values
 * pushed inside the window are merged and sent when it closes (which opens a new window). With a
 * window of 0 every value is sent on its own.
 *
 * Back-pressure: `send` may return a promise (a write sliced over several event-loop turns). Until
 * it settles, the key's next send waits even when its window has closed, and what arrives
 * meanwhile keeps merging — so a slow write never queues a backlog of deltas behind it: the next
 * one carries everything that came in while it ran, as a synchronous writer's would.
 */
export class LeadingEdgeCoalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(
    private readonly windowMs: number | ((key: string) => number),
    private readonly merge: (acc: T, next: T) => T,
    private readonly send: (key: string, value: T) => void | Promise<void>,
  ) {}

  /** Offer a value for `key`. */
  push(key: string, value: T): void {
    const slot = this.slots.get(key);
    if (slot) slot.pending = slot.pending === null ? value : this.merge(slot.pending, value);
    else this.sendAndOpen(key, this.newSlot(), value);
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
    const slots = [...this.slots];
    this.slots.clear();
    for (const [key, slot] of slots) {
      clearTimeout(slot.timer);
      if (slot.pending !== null) void this.send(key, slot.pending);
    }
  }

  private windowOf(key: string): number {
    return typeof this.windowMs === 'function' ? this.windowMs(key) : this.windowMs;
  }

  private newSlot(): Slot<T> {
    return { timer: undefined, pending: null, busy: false, closed: false };
  }

  /** Send `value` now with `slot` as the key's slot, and open its window. */
  private sendAndOpen(key: string, slot: Slot<T>, value: T): void {
    slot.pending = null;
    slot.closed = false;
    this.slots.set(key, slot);
    const sent = this.send(key, value);
    const windowMs = this.windowOf(key);
    if (windowMs > 0) {
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        if (this.slots.get(key) !== slot) return;
        slot.closed = true;
        if (!slot.busy) this.next(key, slot);
      }, windowMs);
      slot.timer.unref();
    } else {
      slot.closed = true;
    }
    // Anything but a promise (callers may return whatever their last call gave) is a finished send.
    if (sent instanceof Promise) this.track(key, slot, sent);
    else if (slot.closed) this.next(key, slot);
  }

  /** Hold `slot` while `sent` is pending; then go on if its window closed meanwhile. */
  private track(key: string, slot: Slot<T>, sent: Promise<void>): void {
    slot.busy = true;
    const settled = (): void => {
      slot.busy = false;
      if (this.slots.get(key) === slot && slot.closed) this.next(key, slot);
    };
    sent.then(settled, settled);
  }

  /** The window is over and nothing is being sent: send what is pending, or make the key idle. */
  private next(key: string, slot: Slot<T>): void {
    if (slot.pending === null) {
      this.slots.delete(key);
      return;
    }
    this.sendAndOpen(key, slot, slot.pending);
  }
}
