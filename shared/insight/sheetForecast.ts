/**
 * What a sheet still in progress can come to: the range of totals it can end on, and the mark the
 * remaining judges would have to give for a target total. Both call computeSheet, the function that
 * makes the published total, so they hold under the event's weights, aggregation (a trimmed mean
 * included), deductions and rounding. Deductions not yet given are not foreseen.
 */
import { compare, parse, type Decimal } from '../decimal.ts';
import type { ContestEvent, Criterion, Sheet } from '../model.ts';
import { computeSheet } from '../scoring/sheet.ts';
import type { GoalStatus, SettledTieBreak, TotalRange } from './forecast.ts';

/** A judged mark not given yet. */
export interface OpenSlot {
  judgeId: string;
  criterionId: string;
}

/** The (judge, criterion) marks still missing on a sheet, in criterion then judge order. */
export function openSlots(event: ContestEvent, judgeIds: readonly string[], sheet: Sheet): OpenSlot[] {
  return event.criteria
    .filter((c) => c.kind === 'judged')
    .flatMap((c) =>
      judgeIds
        .filter((j) => !Object.hasOwn(sheet.marks, j) || !Object.hasOwn(sheet.marks[j] ?? {}, c.id))
        .map((judgeId) => ({ judgeId, criterionId: c.id })),
    );
}

function withMarks(sheet: Sheet, slots: readonly OpenSlot[], markOf: (c: string) => string): Sheet {
  const marks: Sheet['marks'] = Object.fromEntries(
    Object.entries(sheet.marks).map(([j, m]) => [j, { ...m }]),
  );
  for (const { judgeId, criterionId } of slots) (marks[judgeId] ??= {})[criterionId] = markOf(criterionId);
  return { ...sheet, marks };
}

function criterionById(event: ContestEvent): Map<string, Criterion> {
  return new Map(event.criteria.map((c) => [c.id, c]));
}

/** The highest mark on a criterion's grid (min + k·step ≤ max). */
function gridMax(c: Criterion): Decimal {
  const min = parse(c.min);
  const step = parse(c.step);
  return min.plus(parse(c.max).minus(min).divToInt(step).times(step));
}

/**
 * The lowest and highest totals the sheet can still end on: every missing mark at its criterion's
 * minimum / maximum. Unknown (null) when a measured value is still missing (it has no bound) or
 * a criterion weighs less than nothing.
 */
export function sheetRange(event: ContestEvent, judgeIds: readonly string[], sheet: Sheet): TotalRange {
  const measuredMissing = event.criteria.some(
    (c) => c.kind === 'measured' && !Object.hasOwn(sheet.measured, c.id),
  );
  if (measuredMissing || sheet.outcome !== 'ok' || event.criteria.some((c) => parse(c.weight).isNegative()))
    return { lowest: null, highest: null };
  const slots = openSlots(event, judgeIds, sheet);
  const byId = criterionById(event);
  const at = (pick: (c: Criterion) => Decimal): string =>
    computeSheet(
      event,
      judgeIds,
      withMarks(sheet, slots, (id) => pick(byId.get(id) as Criterion).toString()),
    ).total;
  return { lowest: at((c) => parse(c.min)), highest: at(gridMax) };
}

export interface MarkForecast {
  criterionId: string;
  /** The judges who have not marked this criterion yet. */
  judgeIds: string[];
  status: GoalStatus;
  /**
   * The mark each of them would have to give (at least; at most when lower is better) for the
   * total to reach the target; null when out of reach.
   */
  mark: string | null;
}

/**
 * When every missing mark is on one judged criterion: the lowest mark on its grid that, given by
 * each remaining judge, brings the total to `target` (the highest, when lower is better). Null when
 * the marks are spread over several criteria, a measured value is missing, or nothing is missing.
 */
export function markForTarget(
  event: ContestEvent,
  judgeIds: readonly string[],
  sheet: Sheet,
  target: string,
): MarkForecast | null {
  const slots = openSlots(event, judgeIds, sheet);
  const criterionIds = [...new Set(slots.map((s) => s.criterionId))];
  const [criterionId] = criterionIds;
  if (criterionId === undefined || criterionIds.length > 1 || sheet.outcome !== 'ok') return null;
  if (event.criteria.some((c) => c.kind === 'measured' && !Object.hasOwn(sheet.measured, c.id))) return null;
  const criterion = criterionById(event).get(criterionId) as Criterion;
  if (!parse(criterion.weight).greaterThan(0)) return null;
  const min = parse(criterion.min);
  const step = parse(criterion.step);
  const top = gridMax(criterion).minus(min).divToInt(step).toNumber();
  const markAt = (i: number): Decimal => min.plus(step.times(i));
  const lower = event.scoring.better === 'lower';
  const goal = parse(target);
  // The total rises with the mark (every aggregation is monotone, the weight is positive).
  const reaches = (i: number): boolean => {
    const total = computeSheet(
      event,
      judgeIds,
      withMarks(sheet, slots, () => markAt(i).toString()),
    ).total;
    return compare(parse(total), goal) * (lower ? -1 : 1) >= 0;
  };
  const base = { criterionId, judgeIds: slots.map((s) => s.judgeId) };
  if (!lower) {
    if (!reaches(top)) return { ...base, status: 'out_of_reach', mark: null };
    if (reaches(0)) return { ...base, status: 'secured', mark: markAt(0).toString() };
    let [bad, good] = [0, top];
    while (good - bad > 1) {
      const mid = Math.floor((bad + good) / 2);
      if (reaches(mid)) good = mid;
      else bad = mid;
    }
    return { ...base, status: 'reachable', mark: markAt(good).toString() };
  }
  if (!reaches(0)) return { ...base, status: 'out_of_reach', mark: null };
  if (reaches(top)) return { ...base, status: 'secured', mark: markAt(top).toString() };
  let [good, bad] = [0, top];
  while (bad - good > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (reaches(mid)) good = mid;
    else bad = mid;
  }
  return { ...base, status: 'reachable', mark: markAt(good).toString() };
}

/**
 * The sheet's tie-break inputs when they can no longer change: every tie-break criterion fully
 * marked (or entered) and, with the earlier-finish rule, a finishing time. Else null.
 */
export function settledTieBreak(
  event: ContestEvent,
  judgeIds: readonly string[],
  sheet: Sheet,
): SettledTieBreak | null {
  const { criteria, earlierFinish } = event.scoring.tieBreak;
  if (earlierFinish && sheet.finishedAt === undefined) return null;
  const open = new Set(openSlots(event, judgeIds, sheet).map((s) => s.criterionId));
  const byId = criterionById(event);
  const unsettled = criteria.some((id) => {
    const c = byId.get(id);
    return c === undefined || open.has(id) || (c.kind === 'measured' && !Object.hasOwn(sheet.measured, id));
  });
  if (unsettled || sheet.outcome !== 'ok') return null;
  const result = computeSheet(event, judgeIds, sheet);
  const tieBreak = criteria.map((id) =>
    Object.hasOwn(result.criteria, id) ? (result.criteria[id] ?? null) : null,
  );
  return sheet.finishedAt === undefined ? { tieBreak } : { tieBreak, finishedAt: sheet.finishedAt };
}
