/** Which judges' marks a trimmed mean left out: the score sheet strikes them through. */
import { compare } from '../decimal.ts';
import type { Aggregation } from '../model.ts';
import type { JudgeMark } from './divergence.ts';

/**
 * The judge ids whose mark on one criterion did not count: with a trimmed mean of k and at least
 * 2k+1 marks, the k lowest and the k highest (aggregateMarks drops exactly as many). Among equal
 * marks at a cut, the low end takes the judges listed first in `marks` and the high end those
 * listed last, so a reprint strikes the same marks.
 * Every other aggregation (and a trimmed mean with too few marks) drops nothing.
 */
export function droppedJudges(aggregation: Aggregation, marks: readonly JudgeMark[]): Set<string> {
  if (aggregation.kind !== 'trimmed') return new Set();
  const k = aggregation.trim;
  if (marks.length < 2 * k + 1) return new Set();
  // Array.prototype.sort is stable: equal marks keep the order of `marks`.
  const sorted = [...marks].sort((a, b) => compare(a.mark, b.mark));
  return new Set([...sorted.slice(0, k), ...sorted.slice(sorted.length - k)].map((m) => m.judgeId));
}
