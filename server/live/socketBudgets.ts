/**
 * What one socket may ask of a Podium process, per kind of event: a sustained rate with a burst
 * (a token bucket), how many of its requests run at once, and how many may wait for a slot.
 * Sized from what the clients send (docs/API.md, "Limits per connection"): a judge tablet sends
 * one write at a time and resyncs with at most four reads; a big screen re-reads each of its (at
 * most 32) boards at once after a reconnect or a reveal step.
 */

/** The kinds of client events; every event of every namespace has exactly one. */
export type EventKind = 'read' | 'board' | 'write' | 'notice' | 'unknown';

export interface Budget {
  /** Frames per second, sustained (tokens added to the bucket per second). */
  perSecond: number;
  /** Frames accepted at once above the sustained rate (the bucket's size). */
  burst: number;
  /** Requests of this kind one socket may have running at once. */
  inFlight: number;
  /** Requests of this kind waiting for a running one to finish; beyond this, refused. */
  queue: number;
}

export type SocketBudgets = Record<EventKind, Budget>;

/** Partial budgets, e.g. from a test or an embedding; missing fields keep the defaults. */
export type SocketBudgetOverrides = Partial<Record<EventKind, Partial<Budget>>>;

/** The defaults (docs/API.md, "Limits per connection"). */
export const DEFAULT_SOCKET_BUDGETS: Readonly<SocketBudgets> = {
  // judge:whoami, judge:sheets, competition:watch, competition:list.
  read: { perSecond: 10, burst: 30, inFlight: 4, queue: 16 },
  // board:subscribe: a snapshot per board; a screen follows at most 32 boards.
  board: { perSecond: 20, burst: 80, inFlight: 8, queue: 64 },
  // cmd:*: the outbox sends one at a time; each actor is also held to 20 writes/s (rate-limits.ts).
  write: { perSecond: 40, burst: 60, inFlight: 8, queue: 32 },
  // presence:heartbeat, board:unsubscribe: no acknowledgement.
  notice: { perSecond: 20, burst: 60, inFlight: 4, queue: 16 },
  // An event name no handler knows: dropped, but counted so that a flood of them ends too.
  unknown: { perSecond: 2, burst: 10, inFlight: 0, queue: 0 },
};

/** Refused frames a socket may pile up before it is disconnected (they drain at STRIKE_DRAIN_PER_SECOND). */
export const STRIKES_BEFORE_DISCONNECT = 20;
/** How fast refused frames are forgiven. */
export const STRIKE_DRAIN_PER_SECOND = 1;

/** The defaults with `overrides` applied. */
export function socketBudgets(overrides: SocketBudgetOverrides = {}): SocketBudgets {
  const out = {} as SocketBudgets;
  for (const kind of Object.keys(DEFAULT_SOCKET_BUDGETS) as EventKind[]) {
    out[kind] = { ...DEFAULT_SOCKET_BUDGETS[kind], ...overrides[kind] };
  }
  return out;
}

/** A token bucket: `take()` is true while tokens last; they come back at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly size: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = size;
    this.at = clock();
  }

  /** Take `n` tokens if there are that many; false (and nothing taken) otherwise. */
  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until one token is back (0 when one is there). */
  waitMs(): number {
    this.refill();
    if (this.tokens >= 1 || this.perSecond <= 0) return 0;
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.size, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
  }
}
