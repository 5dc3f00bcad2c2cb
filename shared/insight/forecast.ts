/**
 * "What it takes": the lowest total (the highest, when lower is better) with which a contestant
 * would reach a place on a board as it stands — the lead, the medal places, a qualification line —
 * exact under the event's rule, because it compares rank keys made by the same rankKey() the
 * boards use. Pure; docs/RULES.md ("What it takes") explains it with worked examples.
 *
 * Tie-breaks: when the contestant's own tie-break scores are settled (every mark of those criteria
 * in), their key is built with them, so the threshold is exact under the whole tie-break chain.
 * Otherwise it holds whatever those scores turn out to be: the key is built with every tie-break
 * missing (which ranks worst). Equalling the rival's total then leaves the place to the tie-break
 * chain; that total is reported as `tieAt`, and the threshold is one step (10^−decimals) beyond it.
 */
import type { RankedRow } from '../boards.ts';
import { compare, parse, type Decimal } from '../decimal.ts';
import type { ScoringRule } from '../model.ts';
import { compareByteOrder } from '../scoring/rankRows.ts';
import { rankKey } from '../scoring/rankKey.ts';

export type GoalKind = 'lead' | 'medal' | 'line';

/** A place to reach: rank ≤ `rank`, or (a medal by threshold) a total reaching `total`. */
export type Goal = { kind: GoalKind; rank: number } | { kind: 'medal'; total: string };

export type GoalStatus = 'secured' | 'reachable' | 'out_of_reach';

export interface GoalForecast {
  kind: GoalKind;
  /** The rank to reach (null for a medal by threshold). */
  rank: number | null;
  status: GoalStatus;
  /** The threshold total, printed with the event's decimals; null when any total reaches the goal. */
  total: string | null;
  /** Equalling the rival at this total would leave the place to the tie-break chain (null: no such tie). */
  tieAt: string | null;
  /** The row whose place is the line (null for a threshold, or when nobody holds it yet). */
  rivalId: string | null;
}

/** The totals the contestant can still end on; null where not known (no upper bound, say). */
export interface TotalRange {
  lowest: string | null;
  highest: string | null;
}

const UNKNOWN: TotalRange = { lowest: null, highest: null };

/** The smallest total increment a board shows: 10^−decimals. */
export function totalStep(decimals: number): Decimal {
  return parse(1).div(parse(10).pow(decimals));
}

/** A contestant's own tie-break inputs once they can no longer change (all those marks are in). */
export interface SettledTieBreak {
  tieBreak: Array<string | null>;
  finishedAt?: number;
}

/**
 * The key a contestant with this total gets: with their settled tie-break inputs when known, else
 * with every tie-break missing (which ranks worst among equal totals).
 */
export function keyAt(rule: ScoringRule, total: string, settled: SettledTieBreak | null = null): string {
  if (settled === null) return rankKey(rule, { id: '', total, outcome: 'ok', tieBreak: [] });
  const input = { id: '', total, outcome: 'ok' as const, tieBreak: settled.tieBreak };
  return rankKey(
    rule,
    settled.finishedAt === undefined ? input : { ...input, finishedAt: settled.finishedAt },
  );
}

/**
 * The threshold total for one goal against `rows` (the board as the viewer sees it), ignoring
 * the contestant's own row. `range` says which totals the contestant can still reach.
 */
export function forecastGoal(
  rule: ScoringRule,
  rows: readonly RankedRow[],
  contestantId: string,
  goal: Goal,
  range: TotalRange = UNKNOWN,
  settled: SettledTieBreak | null = null,
): GoalForecast {
  const lower = rule.better === 'lower';
  const step = totalStep(rule.decimals);
  const show = (d: Decimal): string => d.toFixed(rule.decimals);
  if ('total' in goal) {
    // A threshold medal: the first total on the board's grid that reaches it.
    const mode = lower ? 3 /* ROUND_FLOOR */ : 2; /* ROUND_CEIL */
    const total = show(parse(goal.total).toDecimalPlaces(rule.decimals, mode));
    return {
      kind: goal.kind,
      rank: null,
      status: statusOf(total, range, lower),
      total,
      tieAt: null,
      rivalId: null,
    };
  }
  const others = rows
    .filter((r) => r.id !== contestantId && r.outcome === 'ok')
    .sort((a, b) => compareByteOrder(a.rankKey, b.rankKey) || compareByteOrder(a.id, b.id));
  const rival = others[goal.rank - 1];
  // Fewer ranked rivals than the places: any ok result reaches it.
  if (rival === undefined)
    return { kind: goal.kind, rank: goal.rank, status: 'secured', total: null, tieAt: null, rivalId: null };
  // Rank = 1 + rows strictly ahead, so the goal holds exactly when our key is ≤ the rival's.
  const even = show(parse(rival.total));
  const tiesWin = compareByteOrder(keyAt(rule, even, settled), rival.rankKey) <= 0;
  const total = tiesWin ? even : show(lower ? parse(even).minus(step) : parse(even).plus(step));
  return {
    kind: goal.kind,
    rank: goal.rank,
    status: statusOf(total, range, lower),
    total,
    tieAt: tiesWin ? null : even,
    rivalId: rival.id,
  };
}

/** Whether a total is already assured by the lowest reachable total, out of reach, or neither. */
function statusOf(total: string, range: TotalRange, lower: boolean): GoalStatus {
  const t = parse(total);
  const sign = lower ? -1 : 1;
  // "better or equal" in the rule's direction
  const atLeast = (value: string | null): boolean => value !== null && compare(parse(value), t) * sign >= 0;
  if (atLeast(lower ? range.highest : range.lowest)) return 'secured';
  const best = lower ? range.lowest : range.highest;
  if (best !== null && !atLeast(best)) return 'out_of_reach';
  return 'reachable';
}

/** The goals an event's rule defines: the lead, the medal places (if any) and an optional line. */
export function goalsOf(rule: ScoringRule, line: number | null): Goal[] {
  const goals: Goal[] = [{ kind: 'lead', rank: 1 }];
  const medals = rule.medals;
  if (medals?.kind === 'rank' && medals.bronze >= 1) goals.push({ kind: 'medal', rank: medals.bronze });
  if (medals?.kind === 'threshold') goals.push({ kind: 'medal', total: medals.bronze });
  if (line !== null) goals.push({ kind: 'line', rank: line });
  return goals;
}
