import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, roundHalfUp, div } from '../../../shared/decimal.ts';
import { judgeConsistency, type ConsistencySheet } from '../../../shared/insight/judgeConsistency.ts';
import type { ContestEvent, Sheet } from '../../../shared/model.ts';
import { computeSheet } from '../../../shared/scoring/index.ts';
import { judgeIds, makeEvent, makeSheet } from '../scoring/fixtures.ts';

const event = (blind = false, tolerance: number | undefined = 2): ContestEvent =>
  makeEvent(
    [
      { id: 'a', max: 10, step: 0.5, ...(tolerance === undefined ? {} : { divergenceTolerance: tolerance }) },
      { id: 'b', max: 30, min: 10, step: 1 },
    ],
    { blind },
  );

const entry = (contestantId: string, marks: Sheet['marks'], judges: string[]): ConsistencySheet => ({
  roundId: 'r1',
  contestantId,
  sheet: makeSheet(marks),
  judges,
});

/** Marks of every judge: base[criterion] for all, plus `shift` for judge `shifted`. */
function panel(judges: string[], base: Record<string, number>, shifted: string | null, shift: number) {
  return Object.fromEntries(
    judges.map((j) => [
      j,
      Object.fromEntries(Object.entries(base).map(([c, v]) => [c, String(j === shifted ? v + shift : v)])),
    ]),
  );
}

describe('judgeConsistency (leave-one-out deviation, offset, divergence flags)', () => {
  it('a worked example: one generous judge on a panel of three', () => {
    // a: j1 8, j2 7, j3 9 → d(j3) = 9 − (8+7)/2 = 1.5, d(j1) = 8 − 8 = 0, d(j2) = 7 − 8.5 = −1.5
    // b: j1 20, j2 20, j3 23 → d(j3) = 3, d(j1) = 20 − 21.5 = −1.5, d(j2) = −1.5
    const marks = { j1: { a: '8', b: '20' }, j2: { a: '7', b: '20' }, j3: { a: '9', b: '23' } };
    const lines = judgeConsistency(event(), [entry('c1', marks, judgeIds(3))], judgeIds(3));
    const j3 = lines.find((l) => l.judgeId === 'j3');
    expect(j3).toEqual({
      judgeId: 'j3',
      marks: 2,
      meanDeviation: '2.250', // (1.5 + 3) / 2
      meanAbsDeviation: '2.250',
      offset: '15.0', // (1.5/10 + 3/20) / 2 × 100
      checked: 1, // only criterion a has a divergence tolerance (2)
      flagged: 0, // |9 − median(8, 7)| = 1.5 ≤ 2
      flagRate: '0.0',
    });
    expect(lines.find((l) => l.judgeId === 'j2')?.meanDeviation).toBe('-1.500');
    expect(lines.find((l) => l.judgeId === 'j1')?.meanAbsDeviation).toBe('0.750');
  });

  it("flags exactly what the divergence rule flags (the chief view's rule)", () => {
    // Others' medians: j1..j3 → median(8, 8, 3) = 8 (off by 0); j4 → 8 (off by 5 > 2).
    const marks = { j1: { a: '8' }, j2: { a: '8' }, j3: { a: '8' }, j4: { a: '3' } };
    const lines = judgeConsistency(event(), [entry('c1', marks, judgeIds(4))], judgeIds(4));
    expect(lines.map((l) => [l.judgeId, l.flagged, l.checked])).toEqual([
      ['j1', 0, 1],
      ['j2', 0, 1],
      ['j3', 0, 1],
      ['j4', 1, 1],
    ]);
    expect(lines.find((l) => l.judgeId === 'j4')?.flagRate).toBe('100.0');
  });

  it('lists panel judges without marks with empty figures; dns sheets and lone marks do not count', () => {
    const ev = event();
    const sheets = [
      entry('c1', { j1: { a: '5' } }, judgeIds(2)),
      {
        ...entry('c2', { j1: { a: '5' }, j2: { a: '9' } }, judgeIds(2)),
        sheet: makeSheet({ j1: { a: '5' }, j2: { a: '9' } }, { outcome: 'dns' as const }),
      },
    ];
    expect(judgeConsistency(ev, sheets, judgeIds(2))).toEqual(
      judgeIds(2).map((judgeId) => ({
        judgeId,
        marks: 0,
        meanDeviation: null,
        meanAbsDeviation: null,
        offset: null,
        checked: 0,
        flagged: 0,
        flagRate: null,
      })),
    );
  });

  it('under blind judging a sheet counts only once every counting judge marked every criterion', () => {
    const partial = { j1: { a: '8', b: '20' }, j2: { a: '4' } };
    const full = { j1: { a: '8', b: '20' }, j2: { a: '4', b: '12' } };
    expect(judgeConsistency(event(true), [entry('c1', partial, judgeIds(2))], judgeIds(2))[0]?.marks).toBe(0);
    expect(judgeConsistency(event(false), [entry('c1', partial, judgeIds(2))], judgeIds(2))[0]?.marks).toBe(
      1,
    );
    expect(judgeConsistency(event(true), [entry('c1', full, judgeIds(2))], judgeIds(2))[0]?.marks).toBe(2);
  });

  const shiftCase = fc.record({
    n: fc.integer({ min: 2, max: 7 }),
    sheets: fc.array(fc.record({ a: fc.integer({ min: 0, max: 5 }), b: fc.integer({ min: 10, max: 20 }) }), {
      minLength: 1,
      maxLength: 6,
    }),
    c: fc.integer({ min: -5, max: 5 }),
    blind: fc.boolean(),
  });

  it('property: a panel of identical marks gives 0 everywhere', () => {
    fc.assert(
      fc.property(shiftCase, ({ n, sheets, blind }) => {
        const judges = judgeIds(n);
        const lines = judgeConsistency(
          event(blind),
          sheets.map((base, i) => entry(`c${i}`, panel(judges, base, null, 0), judges)),
          judges,
        );
        for (const l of lines) {
          expect(l).toMatchObject({
            meanDeviation: '0.000',
            meanAbsDeviation: '0.000',
            offset: '0.0',
            flagged: 0,
          });
          expect(l.marks).toBe(sheets.length * 2);
        }
      }),
    );
  });

  it('property: a judge who adds c to every mark of an otherwise identical panel deviates by exactly c; the others by −c/(n−1)', () => {
    fc.assert(
      fc.property(shiftCase, ({ n, sheets, c, blind }) => {
        const judges = judgeIds(n);
        const lines = judgeConsistency(
          event(blind),
          sheets.map((base, i) => entry(`c${i}`, panel(judges, base, 'j1', c), judges)),
          judges,
        );
        const [shifted, ...others] = lines;
        expect(shifted?.meanDeviation).toBe(roundHalfUp(parse(c), 3));
        expect(shifted?.meanAbsDeviation).toBe(roundHalfUp(parse(Math.abs(c)), 3));
        // offset: c as % of each criterion's range (a: 10, b: 20), averaged over the two criteria.
        expect(shifted?.offset).toBe(roundHalfUp(div(parse(c * 100 * 3), parse(40)), 1));
        for (const other of others) {
          expect(other.meanDeviation).toBe(roundHalfUp(div(parse(-c), parse(n - 1)), 3));
          expect(other.meanAbsDeviation).toBe(roundHalfUp(div(parse(Math.abs(c)), parse(n - 1)), 3));
        }
      }),
    );
  });

  it("property: adding the same amount to every mark changes nothing; the flags are the scoring rule's divergences; scores are untouched", () => {
    const marksArb = fc.record({
      n: fc.integer({ min: 2, max: 6 }),
      values: fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 2 }), {
        minLength: 6,
        maxLength: 6,
      }),
      sheets: fc.integer({ min: 1, max: 4 }),
      lift: fc.integer({ min: 1, max: 10 }),
    });
    fc.assert(
      fc.property(marksArb, ({ n, values, sheets, lift }) => {
        const ev = makeEvent(
          [
            { id: 'a', max: 50, step: 0.5, divergenceTolerance: 3 },
            { id: 'b', max: 50, step: 1, divergenceTolerance: 1 },
          ],
          { blind: false },
        );
        const judges = judgeIds(n);
        const build = (plus: number) =>
          Array.from({ length: sheets }, (_, s) =>
            entry(
              `c${s}`,
              Object.fromEntries(
                judges.map((j, ji) => [
                  j,
                  {
                    a: String((values[(ji + s) % 6]?.[0] ?? 0) / 2 + plus),
                    b: String((values[(ji + 2 * s) % 6]?.[1] ?? 0) + plus),
                  },
                ]),
              ),
              judges,
            ),
          );
        const plain = build(0);
        const before = JSON.stringify(plain);
        const scores = plain.map((s) => computeSheet(ev, judges, s.sheet));
        const lines = judgeConsistency(ev, plain, judges);
        expect(judgeConsistency(ev, build(lift), judges)).toEqual(lines);
        const divergences = scores.flatMap((s) => s.divergences);
        for (const l of lines)
          expect(l.flagged).toBe(divergences.filter((d) => d.judgeId === l.judgeId).length);
        // It informs only: the sheets and their scores are exactly as before.
        expect(JSON.stringify(plain)).toBe(before);
        expect(plain.map((s) => computeSheet(ev, judges, s.sheet))).toEqual(scores);
      }),
    );
  });
});
