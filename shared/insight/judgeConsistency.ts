/**
 * Judge consistency (issue #16, item 3; docs/RULES.md, "Judge consistency"): how each judge's marks
 * compare with the rest of the panel on the same sheets. It informs the chief judge and the
 * organisers; it never changes a mark, a score or a rank (nothing here writes anything).
 *
 * For every judged criterion of every counted sheet with at least two marks in, a judge's
 * deviation is their mark minus the mean of the OTHER judges' marks on it (leave-one-out):
 *   d = m − (S − m)/(k − 1)  where S is the sum of the k marks in.
 * Per judge: the mean of d (points), the mean of |d| (points), the offset — the mean of d as a
 * percentage of each criterion's range (max − min), so criteria of different scales weigh alike
 * (+ marks higher than the panel, − lower) — and how many of their marks the divergence rule the
 * chief judge sees (scoring/divergence.ts) flagged, out of the marks on criteria with a tolerance.
 * Under blind judging only sheets every counting judge has fully marked count (the numbers must
 * not move with a half-marked panel, nor hint at marks not all in yet). dns/dnf/dsq sheets do not
 * count. All exact, rounded half-up at the end.
 */
import {
  addFractions,
  div,
  fraction,
  parse,
  roundHalfUp,
  sub,
  sum,
  ZERO,
  type Decimal,
  type Fraction,
} from '../decimal.ts';
import type { ContestEvent, Sheet } from '../model.ts';
import { own } from '../records.ts';
import { findDivergences, type JudgeMark } from '../scoring/divergence.ts';

/** One sheet to compare on, with the judges whose marks count on it (policy's markingJudgeIds). */
export interface ConsistencySheet {
  roundId: string;
  contestantId: string;
  sheet: Sheet;
  judges: readonly string[];
}

export interface JudgeConsistency {
  judgeId: string;
  /** Marks compared with at least one other judge's mark on the same sheet and criterion. */
  marks: number;
  /** Mean of (mark − mean of the other marks), in points, 3 decimals; null without marks. */
  meanDeviation: string | null;
  /** Mean of |mark − mean of the other marks|, in points, 3 decimals; null without marks. */
  meanAbsDeviation: string | null;
  /** Mean deviation as % of the criterion's range (+ higher than the panel, − lower), 1 decimal. */
  offset: string | null;
  /** Marks on criteria with a divergence tolerance (the base of `flagged`). */
  checked: number;
  /** Marks the divergence rule flagged (more than the tolerance from the others' median). */
  flagged: number;
  /** flagged / checked in %, 1 decimal; null when nothing was checked. */
  flagRate: string | null;
}

export interface ConsistencyLine extends JudgeConsistency {
  name: string;
  role: 'judge' | 'chief';
}

/** The answer of GET /api/competitions/:id/judge-consistency (docs/API.md, "Judge consistency"). */
export interface ConsistencyAnswer {
  ok: true;
  competitionId: string;
  competitionName: string;
  eventId: string;
  eventName: string;
  /** The round compared on; null: every round of the event. */
  roundId: string | null;
  /** Under blind judging only fully marked sheets count. */
  blind: boolean;
  /** Sheets that counted. */
  sheets: number;
  judges: ConsistencyLine[];
}

interface Tally {
  marks: number;
  deviation: Fraction;
  absolute: Fraction;
  offset: Fraction;
  checked: number;
  flagged: number;
}

const MEAN_DECIMALS = 3;
const PERCENT_DECIMALS = 1;

/** f / d for a fraction and a non-zero decimal, exact. */
function divide(f: Fraction, d: Decimal): Fraction {
  const q = div(f.num, d);
  return { num: q.num, den: q.den * f.den };
}

function absFraction(f: Fraction): Fraction {
  return { num: f.num.abs(), den: f.den };
}

function mean(total: Fraction, count: number, decimals: number): string | null {
  return count === 0 ? null : roundHalfUp(divide(total, parse(count)), decimals);
}

/** Whether every counting judge gave every judged criterion a mark. */
function fullyMarked(event: ContestEvent, entry: ConsistencySheet): boolean {
  return entry.judges.every((judgeId) =>
    event.criteria.every(
      (c) => c.kind !== 'judged' || own(own(entry.sheet.marks, judgeId) ?? {}, c.id) !== undefined,
    ),
  );
}

/**
 * Consistency of every judge in `panel` (in that order; judges who marked without being listed are
 * added after them) over the given sheets of one event.
 */
export function judgeConsistency(
  event: ContestEvent,
  sheets: readonly ConsistencySheet[],
  panel: readonly string[],
): JudgeConsistency[] {
  const tallies = new Map<string, Tally>();
  const tallyOf = (judgeId: string): Tally => {
    let t = tallies.get(judgeId);
    if (t === undefined) {
      const zero = fraction(ZERO);
      t = { marks: 0, deviation: zero, absolute: zero, offset: zero, checked: 0, flagged: 0 };
      tallies.set(judgeId, t);
    }
    return t;
  };
  for (const judgeId of panel) tallyOf(judgeId);

  for (const entry of sheets) {
    if (entry.sheet.outcome !== 'ok') continue;
    if (event.scoring.blind && !fullyMarked(event, entry)) continue;
    for (const criterion of event.criteria) {
      if (criterion.kind !== 'judged') continue;
      const marks: JudgeMark[] = [];
      for (const judgeId of new Set(entry.judges)) {
        const mark = own(own(entry.sheet.marks, judgeId) ?? {}, criterion.id);
        if (mark !== undefined) marks.push({ judgeId, mark: parse(mark) });
      }
      if (marks.length < 2) continue;
      const k = marks.length;
      const total = sum(marks.map((m) => m.mark));
      const range = sub(parse(criterion.max), parse(criterion.min));
      const flagged =
        criterion.divergenceTolerance === undefined
          ? null
          : new Set(
              findDivergences(criterion.id, criterion.divergenceTolerance, marks).map((d) => d.judgeId),
            );
      for (const { judgeId, mark } of marks) {
        // d = m − (S − m)/(k − 1) = (k·m − S)/(k − 1)
        const d: Fraction = { num: mark.times(k).minus(total), den: BigInt(k - 1) };
        const t = tallyOf(judgeId);
        t.marks++;
        t.deviation = addFractions(t.deviation, d);
        t.absolute = addFractions(t.absolute, absFraction(d));
        // A criterion whose max equals its min has no range: every mark on it is the same anyway.
        if (!range.isZero())
          t.offset = addFractions(t.offset, divide({ num: d.num.times(100), den: d.den }, range));
        if (flagged !== null) {
          t.checked++;
          if (flagged.has(judgeId)) t.flagged++;
        }
      }
    }
  }

  return [...tallies].map(([judgeId, t]) => ({
    judgeId,
    marks: t.marks,
    meanDeviation: mean(t.deviation, t.marks, MEAN_DECIMALS),
    meanAbsDeviation: mean(t.absolute, t.marks, MEAN_DECIMALS),
    offset: mean(t.offset, t.marks, PERCENT_DECIMALS),
    checked: t.checked,
    flagged: t.flagged,
    flagRate:
      t.checked === 0
        ? null
        : roundHalfUp(divide(fraction(parse(t.flagged * 100)), parse(t.checked)), PERCENT_DECIMALS),
  }));
}
