/** Score and rank history of contestants, recorded from the live board since the page opened. */
import type { RankedRow } from '../../../shared/boards.ts';

export interface Point {
  at: number;
  /** Score as a number for plotting only (the exact string is shown elsewhere). */
  score: number;
  /** null while the contestant has no placing (dns/dnf/dsq): a gap in the chart. */
  rank: number | null;
}

/** Per-contestant series; a point is added only when the score or rank changed. */
export class History {
  readonly #series = new Map<string, Point[]>();

  /** Record the current rows of the board for the given ids; returns true when something was added. */
  record(rows: readonly RankedRow[], ids: readonly string[], at: number): boolean {
    let added = false;
    for (const id of ids) {
      const row = rows.find((r) => r.id === id);
      if (row === undefined) continue;
      const series = this.#series.get(id) ?? [];
      const last = series.at(-1);
      const score = Number(row.total);
      if (last !== undefined && last.score === score && last.rank === row.rank) continue;
      series.push({ at, score, rank: row.rank });
      this.#series.set(id, series);
      added = true;
    }
    return added;
  }

  /** The recorded points of one contestant, oldest first. */
  of(id: string): readonly Point[] {
    return this.#series.get(id) ?? [];
  }

  /** Forget everything (another event or round was picked). */
  clear(): void {
    this.#series.clear();
  }
}

/**
 * Totals counted in at most `bins` buckets of whole points that never overlap and stop at the
 * maximum: a total counts by its whole part (60.5 is in 56–60), the last bucket ends at the
 * highest whole total (issue #15: buckets read 56–61, 61–66 and ran on to 96–101).
 */
export function histogram(
  totals: readonly number[],
  bins = 8,
): Array<{ from: number; to: number; count: number }> {
  if (totals.length === 0) return [];
  const whole = totals.map((x) => Math.floor(x));
  const min = Math.min(...whole);
  const max = Math.max(...whole);
  const width = Math.max(1, Math.ceil((max - min + 1) / bins));
  const count = Math.ceil((max - min + 1) / width);
  const result = Array.from({ length: count }, (_, i) => ({
    from: min + i * width,
    to: Math.min(max, min + (i + 1) * width - 1),
    count: 0,
  }));
  for (const total of whole) {
    const bin = result[Math.floor((total - min) / width)];
    if (bin !== undefined) bin.count++;
  }
  return result;
}

/** A bucket's label: "56–60", or "98" for a one-point bucket. */
export function bucketLabel(bin: { from: number; to: number }): string {
  return bin.from === bin.to ? String(bin.from) : `${bin.from}–${bin.to}`;
}

/**
 * The time axis range of the history charts: the points' span, widened to at least two minutes
 * around a single point (issue #15: one point gave ticks like 22:13:20 / 08:00:00 / 17:46:40).
 */
export function timeRange(times: readonly number[], pad = 60_000): { min: number; max: number } | null {
  if (times.length === 0) return null;
  const min = Math.min(...times);
  const max = Math.max(...times);
  return max - min >= 2 * pad ? { min, max } : { min: (min + max) / 2 - pad, max: (min + max) / 2 + pad };
}

/** A name shortened at its end for a chart axis, so its beginning (what people read) stays. */
export function axisLabel(name: string, max = 8): string {
  const chars = [...name];
  return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}
