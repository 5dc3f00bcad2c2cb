/** One contestant's sheet in one round → total, per-criterion scores, completeness, divergences. */
import {
  addFractions,
  fraction,
  isNegative,
  parse,
  roundHalfUp,
  scaleFraction,
  sum,
  ZERO,
  type Fraction,
} from '../decimal.ts';
import type { ContestEvent, Sheet } from '../model.ts';
import { aggregateMarks } from './aggregate.ts';
import { findDivergences, type JudgeMark } from './divergence.ts';
import { measuredPoints } from './measure.ts';
import type { Divergence, SheetResult } from './types.ts';
import { own } from '../records.ts';

/**
 * Score a sheet. Only marks of assigned judges count. Total = Σ weight × criterion score −
 * Σ deductions (+ Σ deductions when lower is better: a deduction is a penalty), computed exactly,
 * floored at 0 unless `floorAtZero` is false, and rounded half-up once at the end; a criterion
 * with no marks (or a measured one not entered) adds nothing. A measured criterion's score is the
 * value entered, or its points when it has a `convert` table. A dns/dnf/dsq sheet totals 0, is
 * complete and reports no divergences. With judged criteria but no assigned judge, a sheet is
 * never complete (nobody could have marked it).
 */
export function computeSheet(
  event: ContestEvent,
  assignedJudgeIds: readonly string[],
  sheet: Sheet,
): SheetResult {
  const judges = [...new Set(assignedJudgeIds)];
  const { decimals, aggregation } = event.scoring;
  const judged = event.criteria.filter((c) => c.kind === 'judged');
  // Each judge's marks once, rather than looking them up per criterion.
  const judgeMarks = judges.map((judgeId) => own(sheet.marks, judgeId) ?? {});
  const markedAll = judges.map(() => true);

  const criteria: Array<[string, string | null]> = [];
  const divergences: Divergence[] = [];
  let weighted: Fraction = fraction(ZERO);
  let complete = judged.length === 0 || judges.length > 0;

  for (const criterion of event.criteria) {
    let score: Fraction | null;
    if (criterion.kind === 'measured') {
      const entered = own(sheet.measured, criterion.id);
      score =
        entered === undefined
          ? null
          : criterion.convert === undefined
            ? fraction(parse(entered))
            : measuredPoints(criterion.convert, parse(entered));
      if (entered === undefined) complete = false;
    } else {
      const marks: JudgeMark[] = [];
      judges.forEach((judgeId, j) => {
        const mark = own(judgeMarks[j] ?? {}, criterion.id);
        if (mark === undefined) markedAll[j] = false;
        else marks.push({ judgeId, mark: parse(mark) });
      });
      if (marks.length < judges.length) complete = false;
      const values = marks.map((m) => m.mark);
      score = aggregateMarks(aggregation, values);
      if (criterion.divergenceTolerance !== undefined) {
        divergences.push(...findDivergences(criterion.id, criterion.divergenceTolerance, marks));
      }
    }
    criteria.push([criterion.id, score === null ? null : roundHalfUp(score, decimals)]);
    if (score !== null) weighted = addFractions(weighted, scaleFraction(score, parse(criterion.weight)));
  }

  const markedBy = judges.filter((_, j) => markedAll[j]);
  const criteriaScores = Object.fromEntries(criteria);
  if (sheet.outcome !== 'ok') {
    return {
      total: roundHalfUp(ZERO, decimals),
      exactTotal: fraction(ZERO),
      criteria: criteriaScores,
      complete: true,
      markedBy,
      divergences: [],
    };
  }
  const deductions = sum(sheet.deductions.map((d) => parse(d.points)));
  const penalty = event.scoring.better === 'lower' ? deductions : deductions.negated();
  const net = addFractions(weighted, fraction(penalty));
  // Older stored set-ups have no floorAtZero: absent means the floor applies, as it always did.
  const exactTotal = isNegative(net) && event.scoring.floorAtZero !== false ? fraction(ZERO) : net;
  const total = roundHalfUp(exactTotal, decimals);
  return { total, exactTotal, criteria: criteriaScores, complete, markedBy, divergences };
}
