/** Flags a judge whose mark is far from what the other judges gave. */
import { canonical, compare, parse, type Decimal } from '../decimal.ts';
import { medianOfSorted } from './aggregate.ts';
import type { Divergence } from './types.ts';

export interface JudgeMark {
  judgeId: string;
  mark: Decimal;
}

/**
 * Judges whose mark differs from the median of the OTHER judges' marks on this criterion by more
 * than `tolerance` (strictly). Needs at least two marks; results keep the order of `marks`.
 */
export function findDivergences(
  criterionId: string,
  tolerance: number,
  marks: readonly JudgeMark[],
): Divergence[] {
  if (marks.length < 2) return [];
  const limit = parse(tolerance);
  const flagged: Divergence[] = [];
  marks.forEach(({ judgeId, mark }, index) => {
    const others = marks.filter((_, i) => i !== index).map((m) => m.mark);
    const othersMedian = medianOfSorted(others.sort(compare));
    if (mark.minus(othersMedian).abs().greaterThan(limit)) {
      flagged.push({ criterionId, judgeId, mark: canonical(mark), othersMedian: canonical(othersMedian) });
    }
  });
  return flagged;
}
