/** The shapes the scoring functions exchange with the rest of Podium. */
import type { BoardRow, RankedRow } from '../boards.ts';
import type { Decimal, Fraction } from '../decimal.ts';
import type {
  ContestEvent,
  MeasureConversion,
  MedalRule,
  Outcome,
  ScoringRule,
  Sheet,
  StandingRule,
} from '../model.ts';

export interface Divergence {
  criterionId: string;
  judgeId: string;
  /** The judge's mark and the median of the others, exact decimals. */
  mark: string;
  othersMedian: string;
}

export interface SheetResult {
  /** Weighted criteria total minus deductions, rounded half-up to the event's decimals; "0" floor unless floorAtZero is false. */
  total: string;
  /** The same total before rounding (for rounds combined 'once-at-end'). */
  exactTotal: Fraction;
  /** Aggregated (across judges) score per criterion, rounded to the event's decimals; null if no marks. */
  criteria: Record<string, string | null>;
  /** Every assigned judge marked every judged criterion and every measured criterion is entered. */
  complete: boolean;
  /** Judge ids that have marked every judged criterion. */
  markedBy: string[];
  divergences: Divergence[];
}

/** Facts about one contestant needed to rank them. */
export interface RankInput {
  id: string;
  total: string;
  outcome: Outcome;
  /** Aggregated scores of the tie-break criteria, in the rule's order (null = none yet). */
  tieBreak: Array<string | null>;
  finishedAt?: number;
}

export type ScoringApi = {
  computeSheet(event: ContestEvent, assignedJudgeIds: readonly string[], sheet: Sheet): SheetResult;
  /** Weighted combination of round totals (round.weight); null when no counted round has a total. */
  combineRounds(event: ContestEvent, roundTotals: Record<string, string | Fraction | null>): string | null;
  /** Points a measured value earns under a tolerance table or a linear scale, exactly. */
  measuredPoints(conversion: MeasureConversion, value: Decimal): Fraction;
  /** Exact lexicographic key: a < b (string order) iff a ranks better; equal iff tied. */
  rankKey(rule: ScoringRule, input: RankInput): string;
  /** Reference ranking of rows by rankKey with standard competition ranks (1, 2, 2, 4). */
  rankRows(rows: readonly BoardRow[]): RankedRow[];
  /** Team/organisation standing from member totals: sum or mean of the best N, rounded. */
  standingTotal(
    rule: StandingRule,
    memberTotals: readonly string[],
    decimals: number,
    better?: 'higher' | 'lower',
  ): string;
  /** WorldSkills-style standardised scores: median → centre, spread by mean abs deviation. */
  standardise(
    totals: readonly string[],
    centre?: number,
    spread?: number,
    better?: 'higher' | 'lower',
  ): string[];
  medalFor(
    rule: MedalRule,
    rank: number | null,
    total: string,
    better?: 'higher' | 'lower',
  ): 'gold' | 'silver' | 'bronze' | null;
};
