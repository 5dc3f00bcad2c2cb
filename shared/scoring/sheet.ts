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
import type { Divergence, SheetResult } from './types.ts';
import { own } from '../records.ts';

/**
 * Score a sheet. Only marks of assigned judges count. Total = Σ weight × aggregated score −
 * Σ deductions, computed exactly, floored at 0 and rounded half-up once at the end; a criterion
 * with no marks (or a measured one not entered) adds nothing. A dns/dnf/dsq sheet totals 0, is
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
      score = entered === undefined ? null : fraction(parse(entered));
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
      criteria: criteriaScores,
      complete: true,
      markedBy,
      divergences: [],
    };
  }
  const deductions = sum(sheet.deductions.map((d) => parse(d.points)));
  const net = addFractions(weighted, fraction(deductions.negated()));
  const total = roundHalfUp(isNegative(net) ? ZERO : net, decimals);
  return { total, criteria: criteriaScores, complete, markedBy, divergences };
}
