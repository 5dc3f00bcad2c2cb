/**
 * A hybrid logical clock (Kulkarni et al., 2014): timestamps that stay close to wall time yet keep
 * causal order across sites whatever their clocks say. A venue stamps each command it forwards; the
 * hub, on receiving it, moves its own clock past the stamp, so anything the hub writes afterwards
 * (an acceptance, a refusal) sorts after it (docs/VENUES.md, "Time across sites").
 */

export interface HlcTimestamp {
  /** The largest wall time (ms since the epoch) seen so far. */
  wall: number;
  /** Events at the same `wall`, in order. */
  counter: number;
  /** The site that made it (tie-break only). */
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 36 ** COUNTER_DIGITS - 1;

/** Fixed-width text that sorts like the timestamps: `<wall>-<counter base 36>-<node>`. */
export function formatHlc(t: HlcTimestamp): string {
  return `${String(t.wall).padStart(WALL_DIGITS, '0')}-${t.counter.toString(36).padStart(COUNTER_DIGITS, '0')}-${t.node}`;
}

/** The timestamp written by formatHlc, or null when `text` is not one. */
export function parseHlc(text: string): HlcTimestamp | null {
  const match = /^(\d{15})-([0-9a-z]{6})-([A-Za-z0-9_:-]{1,80})$/.exec(text);
  if (match === null) return null;
  const [, wall = '', counter = '', node = ''] = match;
  return { wall: Number(wall), counter: parseInt(counter, 36), node };
}

/** Negative when `a` happened before `b` (or sorts first), 0 when equal. */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  if (a.counter !== b.counter) return a.counter - b.counter;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

export class HybridClock {
  private last: HlcTimestamp;

  /**
   * `maxAheadMs`: a remote stamp further than this ahead of our wall clock is refused (a venue PC
   * whose clock is a day off must not drag every site's audit times with it).
   */
  constructor(
    readonly node: string,
    private readonly physical: () => number = Date.now,
    private readonly maxAheadMs = 24 * 3600_000,
  ) {
    this.last = { wall: 0, counter: 0, node };
  }

  /** A stamp for a local event (or a message about to be sent): after every stamp seen so far. */
  now(): HlcTimestamp {
    const wall = Math.max(this.last.wall, this.physical());
    const counter = wall === this.last.wall ? this.last.counter + 1 : 0;
    return this.set(wall, counter);
  }

  /** Take in a stamp from another site: the result is after it and after every local stamp. */
  receive(remote: HlcTimestamp): HlcTimestamp {
    const physical = this.physical();
    if (remote.wall - physical > this.maxAheadMs) {
      throw new RangeError(`a remote clock is ${remote.wall - physical} ms ahead`);
    }
    const wall = Math.max(this.last.wall, remote.wall, physical);
    let counter = 0;
    if (wall === this.last.wall && wall === remote.wall)
      counter = Math.max(this.last.counter, remote.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === remote.wall) counter = remote.counter + 1;
    return this.set(wall, counter);
  }

  /** The latest stamp given out (for persisting across restarts). */
  latest(): HlcTimestamp {
    return this.last;
  }

  /** Continue after a stamp persisted before a restart. */
  restore(saved: HlcTimestamp): void {
    if (compareHlc(saved, this.last) > 0) this.last = { ...saved, node: this.node };
  }

  private set(wall: number, counter: number): HlcTimestamp {
    // More than 2 billion events in one millisecond cannot happen; move the wall on rather than overflow.
    this.last =
      counter > MAX_COUNTER
        ? { wall: wall + 1, counter: 0, node: this.node }
        : { wall, counter, node: this.node };
    return this.last;
  }
}
