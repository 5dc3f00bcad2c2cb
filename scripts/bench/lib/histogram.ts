/**
 * A mergeable latency histogram: 0.1 ms buckets up to 10 s, then 10 ms buckets up to 10 min (an
 * overloaded server falls minutes behind), one overflow bucket, and the exact maximum. Workers
 * fill one each and send it to the coordinator as sparse pairs.
 */
const FINE_MS = 0.1;
const FINE_BUCKETS = 100_000;
const COARSE_MS = 10;
const COARSE_BUCKETS = 59_000;
const BUCKETS = FINE_BUCKETS + COARSE_BUCKETS;
const FINE_LIMIT_MS = FINE_MS * FINE_BUCKETS;

function bucketOf(ms: number): number {
  if (ms < FINE_LIMIT_MS) return Math.floor(ms / FINE_MS);
  return Math.min(BUCKETS, FINE_BUCKETS + Math.floor((ms - FINE_LIMIT_MS) / COARSE_MS));
}

/** The upper edge of bucket `i`. */
function upperEdge(i: number): number {
  return i < FINE_BUCKETS ? (i + 1) * FINE_MS : FINE_LIMIT_MS + (i - FINE_BUCKETS + 1) * COARSE_MS;
}

export interface SparseHistogram {
  /** [bucket index, count] pairs; index BUCKETS is the overflow bucket. */
  pairs: Array<[number, number]>;
  max: number;
  count: number;
}

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  count = 0;
  max = 0;

  /** Record one latency in milliseconds (negative values, from clock jitter, count as 0). */
  record(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    const i = bucketOf(v);
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count++;
    if (v > this.max) this.max = v;
  }

  /** The value below which `p` percent of the recorded latencies fall (bucket upper edge). */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const target = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= target) return i === BUCKETS ? this.max : Math.min(this.max, upperEdge(i));
    }
    return this.max;
  }

  /** A compact copy for sending between processes. */
  toSparse(): SparseHistogram {
    const pairs: Array<[number, number]> = [];
    this.counts.forEach((c, i) => {
      if (c > 0) pairs.push([i, c]);
    });
    return { pairs, max: this.max, count: this.count };
  }

  /** Add a sparse histogram from another process. */
  merge(other: SparseHistogram): void {
    for (const [i, c] of other.pairs) this.counts[i] = (this.counts[i] ?? 0) + c;
    this.count += other.count;
    if (other.max > this.max) this.max = other.max;
  }
}

/** The p-th percentile of plain numbers (nearest rank); NaN when empty. */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

/** Round to 0.01 for reports (NaN and Infinity become null, which JSON can carry). */
export function round2(v: number): number | null {
  return Number.isFinite(v) ? Math.round(v * 100) / 100 : null;
}
