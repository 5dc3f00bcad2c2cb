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

/** Histogram of totals: up to `bins` equal-width bins between the lowest and highest total. */
export function histogram(
  totals: readonly number[],
  bins = 8,
): Array<{ from: number; to: number; count: number }> {
  if (totals.length === 0) return [];
  const min = Math.floor(Math.min(...totals));
  const max = Math.ceil(Math.max(...totals));
  const width = Math.max(1, Math.ceil((max - min) / bins));
  const count = Math.max(1, Math.ceil((max - min + 1) / width));
  const result = Array.from({ length: count }, (_, i) => ({
    from: min + i * width,
    to: min + (i + 1) * width,
    count: 0,
  }));
  for (const total of totals) {
    const bin = result[Math.min(count - 1, Math.floor((total - min) / width))];
    if (bin !== undefined) bin.count++;
  }
  return result;
}
