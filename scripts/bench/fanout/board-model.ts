/**
 * The in-memory board the baseline servers keep: the sum of each judge's latest mark per
 * contestant, ranked by total, rendered as the same rows Podium sends (shared/events.ts).
 */
import type { DeltaRow } from '../../../shared/events.ts';
import { rankKey } from '../../../shared/scoring/rankKey.ts';
import type { ScoringRule } from '../../../shared/model.ts';

const RULE: ScoringRule = {
  aggregation: { kind: 'sum' },
  decimals: 0,
  tieBreak: { criteria: [], earlierFinish: false },
  blind: false,
};

/** The rank key of an integer total under the benchmark's scoring rule. */
export function benchRankKey(id: string, total: number): string {
  return rankKey(RULE, { id, total: String(total), outcome: 'ok', tieBreak: [] });
}

export class SumBoard {
  version = 0;
  private readonly marks = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();

  /** Apply a judge's mark (replacing its earlier one) and return the changed row. */
  apply(contestantId: string, judgeId: string, value: number): DeltaRow {
    const previousRank = this.totals.has(contestantId) ? this.rankOf(contestantId) : null;
    const previousTotal = this.totals.get(contestantId);
    let byJudge = this.marks.get(contestantId);
    if (!byJudge) {
      byJudge = new Map();
      this.marks.set(contestantId, byJudge);
    }
    byJudge.set(judgeId, value);
    let total = 0;
    for (const v of byJudge.values()) total += v;
    this.totals.set(contestantId, total);
    this.version++;
    return {
      ...this.row(contestantId),
      previousRank,
      previousTotal: previousTotal === undefined ? null : String(previousTotal),
    };
  }

  /** Every row, best first, with standard competition ranks. */
  rows(): Array<Omit<DeltaRow, 'previousRank' | 'previousTotal'>> {
    return [...this.totals.keys()]
      .map((id) => this.row(id))
      .sort((a, b) => (a.rankKey < b.rankKey ? -1 : a.rankKey > b.rankKey ? 1 : 0));
  }

  private row(id: string): Omit<DeltaRow, 'previousRank' | 'previousTotal'> {
    const total = this.totals.get(id) ?? 0;
    return {
      id,
      total: String(total),
      complete: false,
      outcome: 'ok',
      rankKey: benchRankKey(id, total),
      rank: this.rankOf(id),
    };
  }

  private rankOf(id: string): number {
    const total = this.totals.get(id) ?? 0;
    let better = 0;
    for (const t of this.totals.values()) if (t > total) better++;
    return better + 1;
  }
}
