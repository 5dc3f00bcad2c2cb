/** Bounds on concurrent event-feed connections of one process: per client address and in total. */

/** Event feed settings (docs/API.md, "Event feed"). */
export interface FeedOptions {
  /** A newline is written this often on every open feed (≤ 120 s as CLICS asks). Default 60 000. */
  keepAliveMs: number;
  /** How often an idle feed looks for entries other nodes wrote. Default 1000. */
  pollMs: number;
  /** Concurrent feeds per client address (req.ip). Default 4. */
  maxPerAddress: number;
  /** Concurrent feeds of this process. Default 200. */
  maxTotal: number;
}

/** Defaults: keep-alive every 60 s, poll every 1 s, 4 feeds per address, 200 per process. */
export const DEFAULT_FEED_OPTIONS: FeedOptions = {
  keepAliveMs: 60_000,
  pollMs: 1_000,
  maxPerAddress: 4,
  maxTotal: 200,
};

/** Counts open feeds; `open` refuses beyond the limits. */
export class FeedConnections {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly options: Pick<FeedOptions, 'maxPerAddress' | 'maxTotal'>) {}

  /** Take a slot for `address`; false when a limit is reached. */
  open(address: string): boolean {
    const mine = this.perAddress.get(address) ?? 0;
    if (this.total >= this.options.maxTotal || mine >= this.options.maxPerAddress) return false;
    this.total += 1;
    this.perAddress.set(address, mine + 1);
    return true;
  }

  /** Give back a slot taken by `open`. */
  close(address: string): void {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine <= 1) this.perAddress.delete(address);
    else this.perAddress.set(address, mine - 1);
    this.total = Math.max(0, this.total - 1);
  }
}
