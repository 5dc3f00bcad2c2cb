import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoardRow, RankedRow } from '../../../shared/boards.ts';
import { parse } from '../../../shared/decimal.ts';
import {
  forecastGoal,
  goalsOf,
  totalStep,
  type SettledTieBreak as Settled,
} from '../../../shared/insight/forecast.ts';
import { rankKeyParts, tieBreakTail } from '../../../shared/insight/rankKeyParts.ts';
import { scoringRuleSchema, type ScoringRule } from '../../../shared/model.ts';
import { rankKey, rankRows } from '../../../shared/scoring/index.ts';

const ruleArb = fc
  .record({
    better: fc.constantFrom('higher', 'lower'),
    decimals: fc.integer({ min: 0, max: 3 }),
    tieBreaks: fc.integer({ min: 0, max: 2 }),
    earlierFinish: fc.boolean(),
  })
  .map(({ better, decimals, tieBreaks, earlierFinish }) =>
    scoringRuleSchema.parse({
      aggregation: { kind: 'mean' },
      decimals,
      better,
      tieBreak: { criteria: ['c1', 'c2'].slice(0, tieBreaks), earlierFinish },
    }),
  );

/** A total on the rule's grid from a small integer count of steps (negative allowed). */
function gridTotal(rule: ScoringRule, units: number): string {
  return totalStep(rule.decimals).times(units).toFixed(rule.decimals);
}

function rowOf(
  rule: ScoringRule,
  id: string,
  total: string,
  tieBreak: Array<string | null>,
  finishedAt?: number,
): BoardRow {
  return {
    id,
    total,
    complete: true,
    outcome: 'ok',
    rankKey: rankKey(rule, {
      id,
      total,
      outcome: 'ok',
      tieBreak,
      ...(finishedAt === undefined ? {} : { finishedAt }),
    }),
  };
}

/** My rank on the board with my worst-tie-break row at `total` (rankRows, the boards' own ranking). */
function rankWith(
  rule: ScoringRule,
  rows: readonly BoardRow[],
  total: string,
  settled: Settled | null = null,
): number | null {
  const me =
    settled === null
      ? rowOf(
          rule,
          'me',
          total,
          rule.tieBreak.criteria.map(() => null),
        )
      : rowOf(rule, 'me', total, settled.tieBreak, settled.finishedAt);
  return rankRows([...rows.filter((r) => r.id !== 'me'), me]).find((r) => r.id === 'me')?.rank ?? null;
}

const boardArb = ruleArb.chain((rule) =>
  fc.record({
    rule: fc.constant(rule),
    rows: fc.array(
      fc.record({
        units: fc.integer({ min: -30, max: 60 }),
        tb: fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }), {
          minLength: 2,
          maxLength: 2,
        }),
        finish: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        outcome: fc.constantFrom('ok', 'ok', 'ok', 'dns'),
      }),
      { maxLength: 14 },
    ),
    goalRank: fc.integer({ min: 1, max: 6 }),
    mine: fc.option(fc.integer({ min: -30, max: 60 }), { nil: null }),
    settled: fc.option(
      fc.record({
        tb: fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }), {
          minLength: 2,
          maxLength: 2,
        }),
        finish: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      }),
      { nil: null },
    ),
  }),
);

function boardOf(
  rule: ScoringRule,
  raw: { units: number; tb: Array<number | null>; finish?: number | undefined; outcome: string }[],
  mine: number | null,
): RankedRow[] {
  const rows: BoardRow[] = raw.map((r, i) => {
    const id = `c${i}`;
    if (r.outcome !== 'ok')
      return { id, total: gridTotal(rule, 0), complete: true, outcome: 'dns', rankKey: 'c' };
    const tb = rule.tieBreak.criteria.map((_, k) =>
      r.tb[k] === null || r.tb[k] === undefined ? null : String(r.tb[k]),
    );
    return rowOf(rule, id, gridTotal(rule, r.units), tb, r.finish);
  });
  if (mine !== null)
    rows.push(
      rowOf(
        rule,
        'me',
        gridTotal(rule, mine),
        rule.tieBreak.criteria.map(() => '5'),
      ),
    );
  return rankRows(rows);
}

describe('what it takes: forecastGoal', () => {
  it('is exact: the threshold total reaches the place and one step worse does not, under the tie-break chain (settled or not)', () => {
    fc.assert(
      fc.property(boardArb, ({ rule, rows: raw, goalRank, mine, settled: s }) => {
        const rows = boardOf(rule, raw, mine);
        const tieBreak = rule.tieBreak.criteria.map((_, k) =>
          s === null || s.tb[k] === null || s.tb[k] === undefined ? null : String(s.tb[k]),
        );
        const settled: Settled | null =
          s === null ? null : s.finish === undefined ? { tieBreak } : { tieBreak, finishedAt: s.finish };
        const f = forecastGoal(rule, rows, 'me', { kind: 'line', rank: goalRank }, undefined, settled);
        const rivals = rows.filter((r) => r.id !== 'me' && r.outcome === 'ok').length;
        if (f.total === null) {
          expect(rivals).toBeLessThan(goalRank);
          expect(rankWith(rule, rows, gridTotal(rule, -1000))).toBeLessThanOrEqual(goalRank);
          return;
        }
        const step = totalStep(rule.decimals);
        const worse = (
          rule.better === 'lower' ? parse(f.total).plus(step) : parse(f.total).minus(step)
        ).toFixed(rule.decimals);
        expect(rankWith(rule, rows, f.total, settled)).toBeLessThanOrEqual(goalRank);
        expect(rankWith(rule, rows, worse, settled)).toBeGreaterThan(goalRank);
        // A tie at tieAt is left to the tie-break chain: it is the step just before the threshold.
        if (f.tieAt !== null) expect(f.tieAt).toBe(worse);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('a threshold medal is the first total on the board grid that reaches it', () => {
    const rule = scoringRuleSchema.parse({
      aggregation: { kind: 'mean' },
      decimals: 1,
      medals: { kind: 'threshold', gold: '9', silver: '8.5', bronze: '8.25' },
    });
    const [, medal] = goalsOf(rule, null);
    expect(forecastGoal(rule, [], 'me', medal!)).toMatchObject({ total: '8.3', status: 'reachable' });
    const lower = { ...rule, better: 'lower' as const };
    expect(forecastGoal(lower, [], 'me', medal!).total).toBe('8.2');
  });

  it('says secured / out of reach against the totals the contestant can still reach', () => {
    const rule = scoringRuleSchema.parse({ aggregation: { kind: 'mean' }, decimals: 2 });
    const rows = rankRows([rowOf(rule, 'h012', '8.50', [])]);
    const lead = { kind: 'lead' as const, rank: 1 };
    expect(forecastGoal(rule, rows, 'me', lead).total).toBe('8.50');
    expect(forecastGoal(rule, rows, 'me', lead, { lowest: '8.50', highest: '9.00' }).status).toBe('secured');
    expect(forecastGoal(rule, rows, 'me', lead, { lowest: '1.00', highest: '8.49' }).status).toBe(
      'out_of_reach',
    );
    expect(forecastGoal(rule, rows, 'me', lead, { lowest: '1.00', highest: '8.50' }).status).toBe(
      'reachable',
    );
  });

  it('goalsOf: the lead, the medal places by rank, and a qualification line when asked', () => {
    const rule = scoringRuleSchema.parse({
      aggregation: { kind: 'mean' },
      decimals: 2,
      medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
    });
    expect(goalsOf(rule, 8)).toEqual([
      { kind: 'lead', rank: 1 },
      { kind: 'medal', rank: 3 },
      { kind: 'line', rank: 8 },
    ]);
  });
});

describe('rank keys read back', () => {
  it('rankKeyParts inverts rankKey, and the tail is what follows the total', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.integer({ min: -5000, max: 5000 }),
        fc.array(fc.option(fc.integer({ min: -999, max: 999_999 }), { nil: null }), {
          minLength: 2,
          maxLength: 2,
        }),
        fc.option(fc.integer({ min: 0, max: 2 ** 45 }), { nil: undefined }),
        (rule, units, tb, finishedAt) => {
          const total = gridTotal(rule, units);
          const tieBreak = rule.tieBreak.criteria.map((_, k) =>
            tb[k] === null || tb[k] === undefined ? null : parse(tb[k]).div(1000).toString(),
          );
          const key = rankKey(rule, {
            id: 'x',
            total,
            outcome: 'ok',
            tieBreak,
            ...(finishedAt === undefined ? {} : { finishedAt }),
          });
          const parts = rankKeyParts(rule, key);
          expect(parts.total === null ? null : parse(parts.total).eq(parse(total))).toBe(true);
          expect(parts.tieBreak.map((v) => (v === null ? null : parse(v).toString()))).toEqual(tieBreak);
          expect(parts.finishedAt).toBe(rule.tieBreak.earlierFinish ? (finishedAt ?? null) : null);
          const worst = rankKey(rule, { id: 'x', total, outcome: 'ok', tieBreak: [] });
          expect(key.slice(0, key.length - tieBreakTail(rule, key).length)).toBe(
            worst.slice(0, worst.length - tieBreakTail(rule, worst).length),
          );
        },
      ),
      { numRuns: 500 },
    );
  }, 60_000);
});
