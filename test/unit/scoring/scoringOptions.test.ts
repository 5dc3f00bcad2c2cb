import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, parse } from '../../../shared/decimal.ts';
import { eventSchema, type ContestEvent } from '../../../shared/model.ts';
import {
  combineRounds,
  computeSheet,
  rankKey,
  rankRows,
  standardise,
  standingTotal,
} from '../../../shared/scoring/index.ts';
import type { BoardRow } from '../../../shared/boards.ts';
import { judgeIds, makeEvent, makeSheet, marksFor } from './fixtures.ts';

function twoRounds(scoring: Record<string, unknown> = {}): ContestEvent {
  const base = makeEvent([{ id: 'c', step: 0.01 }], scoring);
  return eventSchema.parse({
    ...base,
    rounds: [
      { id: 'r1', name: 'R1', kind: 'preliminary', mode: 'onsite', weight: '0.4' },
      { id: 'r2', name: 'R2', kind: 'final', mode: 'onsite', weight: '0.6' },
    ],
  });
}

/** The issue's hand-worked case: exact round totals 7.125 and 8.005 from two judges' marks. */
function overallOf(event: ContestEvent): string | null {
  const r1 = computeSheet(event, judgeIds(2), makeSheet(marksFor('c', ['7.25', '7'])));
  const r2 = computeSheet(event, judgeIds(2), makeSheet(marksFor('c', ['8.01', '8'])));
  expect([r1.total, r2.total]).toEqual(['7.13', '8.01']);
  const exact = event.scoring.roundRounding === 'once-at-end';
  return combineRounds(event, { r1: exact ? r1.exactTotal : r1.total, r2: exact ? r2.exactTotal : r2.total });
}

describe('roundRounding (regression: docs promised rounding once at the end, Podium rounded each round)', () => {
  it('each-round (default, as before): 0.4 × 7.13 + 0.6 × 8.01 = 7.658 → 7.66', () => {
    expect(overallOf(twoRounds())).toBe('7.66');
    expect(overallOf(twoRounds({ roundRounding: 'each-round' }))).toBe('7.66');
  });

  it('once-at-end: 0.4 × 7.125 + 0.6 × 8.005 = 7.653 → 7.65', () => {
    expect(overallOf(twoRounds({ roundRounding: 'once-at-end' }))).toBe('7.65');
  });

  it('once-at-end keeps repeating thirds exact: 0.5 × 25/3 + 0.5 × 24.5/3 = 8.25 exactly → 8.3', () => {
    const event = twoRounds({ roundRounding: 'once-at-end', decimals: 1 });
    const half = eventSchema.parse({ ...event, rounds: event.rounds.map((r) => ({ ...r, weight: '0.5' })) });
    const r1 = computeSheet(half, judgeIds(3), makeSheet(marksFor('c', ['9', '8', '8'])));
    const r2 = computeSheet(half, judgeIds(3), makeSheet(marksFor('c', ['8.5', '8', '8'])));
    // Truncated digits (8.333333 + 8.166666) / 2 = 8.2499995 would round down to 8.2.
    expect(combineRounds(half, { r1: r1.exactTotal, r2: r2.exactTotal })).toBe('8.3');
  });
});

describe('floorAtZero (regression: a negative total was clamped to 0 without a word)', () => {
  const sheet = makeSheet(marksFor('c', ['1']), { deductions: [{ id: 'd', points: '2.5', reason: 'x' }] });
  it('floors at 0 by default, as before', () => {
    expect(computeSheet(makeEvent([{ id: 'c' }]), judgeIds(1), sheet).total).toBe('0.00');
  });
  it('keeps the negative total when floorAtZero is false, and it ranks below 0', () => {
    const event = makeEvent([{ id: 'c' }], { floorAtZero: false });
    const result = computeSheet(event, judgeIds(1), sheet);
    expect(result.total).toBe('-1.50');
    const below = rankKey(event.scoring, { id: 'a', total: result.total, outcome: 'ok', tieBreak: [] });
    const zero = rankKey(event.scoring, { id: 'b', total: '0.00', outcome: 'ok', tieBreak: [] });
    expect(zero < below).toBe(true);
  });
});

describe('better: lower (regression: a time or a deviation could not mean smaller wins)', () => {
  const lower = makeEvent([{ id: 't', kind: 'measured', max: 1000, step: 0.01 }], { better: 'lower' });

  it('adds a deduction as a penalty instead of subtracting it', () => {
    const sheet = makeSheet(
      {},
      { measured: { t: '70' }, deductions: [{ id: 'p', points: '5', reason: 'x' }] },
    );
    expect(computeSheet(lower, [], sheet).total).toBe('75.00');
  });

  it('ranks by value ascending, negatives first, ties shared, exactly like sorting the decimals', () => {
    const signed = fc
      .bigInt({ min: -(10n ** 20n), max: 10n ** 20n })
      .chain((n) => fc.integer({ min: 0, max: 6 }).map((places) => ({ n, places })))
      .map(({ n, places }) => {
        const abs = (n < 0n ? -n : n).toString().padStart(places + 1, '0');
        const text = places === 0 ? abs : `${abs.slice(0, -places)}.${abs.slice(-places)}`;
        return n < 0n ? `-${text}` : text;
      });
    fc.assert(
      fc.property(fc.array(signed, { minLength: 1, maxLength: 20 }), (totals) => {
        const rows: BoardRow[] = totals.map((total, i) => ({
          id: `c${String(i).padStart(2, '0')}`,
          total,
          complete: true,
          outcome: 'ok',
          rankKey: rankKey(lower.scoring, { id: `c${i}`, total, outcome: 'ok', tieBreak: [] }),
        }));
        const ranked = rankRows(rows);
        for (const [i, r] of ranked.entries()) {
          const better = totals.filter((t) => compare(parse(t), parse(r.total)) < 0).length;
          expect(r.rank).toBe(better + 1);
          const previous = ranked[i - 1];
          if (previous !== undefined)
            expect(compare(parse(previous.total), parse(r.total))).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tie-break criteria prefer the lower value too, and team standings take the lowest totals', () => {
    const rule = makeEvent([{ id: 't' }, { id: 'u' }], {
      better: 'lower',
      tieBreak: { criteria: ['u'] },
    }).scoring;
    const a = rankKey(rule, { id: 'a', total: '60', outcome: 'ok', tieBreak: ['10'] });
    const b = rankKey(rule, { id: 'b', total: '60', outcome: 'ok', tieBreak: ['12'] });
    expect(a < b).toBe(true);
    expect(standingTotal({ method: 'sum', bestN: 2 }, ['61', '58.9', '70'], 2, 'lower')).toBe('119.90');
  });

  it('leaves higher-wins keys byte for byte as before when better is absent or "higher"', () => {
    const plain = makeEvent([{ id: 'c' }]).scoring;
    const higher = makeEvent([{ id: 'c' }], { better: 'higher' }).scoring;
    const input = { id: 'x', total: '8.5', outcome: 'ok' as const, tieBreak: [] };
    expect(rankKey(plain, input)).toBe('a1921499999');
    expect(rankKey(higher, input)).toBe(rankKey(plain, input));
  });
});

describe('standardised scores across events when lower wins', () => {
  it('flips the sign, so the fastest time gets the most standard points', () => {
    expect(standardise(['50', '60', '70'], 700, 100, 'lower')).toEqual(['850.00', '700.00', '550.00']);
    expect(standardise(['50', '60', '70'])).toEqual(['550.00', '700.00', '850.00']);
  });
});
