/**
 * The per-actor write limit, decided in memory so a judge's mark waits for no round trip, and
 * shared with the other nodes through Redis in the background.
 *
 * Writes are counted in fixed one-second windows aligned to the clock (every node agrees on them).
 * Every FLUSH_MS a node adds what it counted since its last flush to each window's Redis counter
 * (INCRBY + PEXPIRE, one pipeline for every actor) and learns from the replies how many writes the
 * other nodes counted. A write is refused when this node's count plus the others' last known count
 * reaches the limit. Trade-off: an actor writing through one node (a tablet keeps one connection)
 * is limited exactly; one spreading writes over several nodes at once can exceed the limit by what
 * the other nodes counted in the last FLUSH_MS. Without Redis, or while it is unreachable, each
 * node limits on its own counts.
 */
import type { Redis } from 'ioredis';

const WINDOW_MS = 1000;
const FLUSH_MS = 50;

interface Window {
  index: number;
  /** Writes this node allowed in the window. */
  local: number;
  /** Of `local`, not yet added to Redis. */
  pending: number;
  /** Writes the other nodes counted, as of the last flush. */
  others: number;
}

export class WriteLimiter {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis | undefined,
    private readonly keyPrefix: string,
    private readonly perSecond: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Count one write by `key`; returns 0 when allowed, else the milliseconds until the next window. */
  consume(key: string): number {
    const now = this.clock();
    const index = Math.floor(now / WINDOW_MS);
    let window = this.windows.get(key);
    if (window === undefined || window.index !== index) {
      window = { index, local: 0, pending: 0, others: 0 };
      this.windows.set(key, window);
    }
    if (window.local + window.others >= this.perSecond) return (index + 1) * WINDOW_MS - now;
    window.local++;
    window.pending++;
    this.scheduleFlush();
    return 0;
  }

  private scheduleFlush(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_MS);
    this.timer.unref();
  }

  /** Add the pending counts to Redis and learn the other nodes' counts; drop finished windows. */
  private async flush(): Promise<void> {
    const current = Math.floor(this.clock() / WINDOW_MS);
    const sent: Array<{ window: Window; count: number }> = [];
    const pipeline = this.redis?.pipeline();
    for (const [key, window] of this.windows) {
      if (window.index < current && window.pending === 0) {
        this.windows.delete(key);
        continue;
      }
      if (window.pending === 0 || pipeline === undefined) continue;
      const redisKey = `${this.keyPrefix}:${key}:${window.index}`;
      pipeline.incrby(redisKey, window.pending).pexpire(redisKey, 2 * WINDOW_MS);
      sent.push({ window, count: window.pending });
      window.pending = 0;
    }
    if (pipeline === undefined || sent.length === 0) return;
    try {
      const replies = (await pipeline.exec()) ?? [];
      sent.forEach(({ window, count }, i) => {
        const [err, total] = replies[2 * i] ?? [new Error('no reply'), null];
        // Our own flushed counts are in the total; whatever else is there came from other nodes.
        if (err === null)
          window.others = Math.max(window.others, Number(total) - (window.local - window.pending));
        else window.pending += count;
      });
    } catch {
      // Redis unreachable: keep limiting on local counts and try again with the next write.
      for (const { window, count } of sent) window.pending += count;
    }
  }
}
