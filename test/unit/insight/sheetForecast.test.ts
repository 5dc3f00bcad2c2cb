import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, parse } from '../../../shared/decimal.ts';
import { droppedMarks, sheetBreakdown } from '../../../shared/insight/breakdown.ts';
import { markForTarget, openSlots, sheetRange } from '../../../shared/insight/sheetForecast.ts';
import type { ContestEvent, Sheet } from '../../../shared/model.ts';
import { computeSheet } from '../../../shared/scoring/index.ts';
import { judgeIds, makeEvent, makeSheet } from '../scoring/fixtures.ts';

const aggregationArb = fc.constantFrom(
  { kind: 'mean' },
  { kind: 'sum' },
  { kind: 'median' },
  { kind: 'trimmed', trim: 1 },
);

/** An event, its judges, a sheet with every mark in except some on one criterion, and a target. */
const caseArb = fc
  .record({
    aggregation: aggregationArb,
    better: fc.constantFrom('higher', 'lower'),
    decimals: fc.integer({ min: 0, max: 2 }),
    steps: fc.array(fc.constantFrom(0.25, 0.5, 1, 3), { minLength: 1, maxLength: 3 }),
    weights: fc.array(fc.constantFrom('1', '0.3', '0.7', '2'), { minLength: 3, maxLength: 3 }),
    judges: fc.integer({ min: 1, max: 5 }),
    seed: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 15, maxLength: 15 }),
    open: fc.integer({ min: 1, max: 5 }),
    deduction: fc.constantFrom(null, '0.5', '1.25'),
    target: fc.integer({ min: -50, max: 400 }),
  })
  .map((c) => {
    const event = makeEvent(
      c.steps.map((step, i) => ({ id: `k${i}`, max: 10, min: i === 1 ? 1 : 0, step, weight: c.weights[i] })),
      { aggregation: c.aggregation, decimals: c.decimals, better: c.better },
    );
    const judges = judgeIds(c.judges);
    const open = event.criteria[event.criteria.length - 1]!;
    const marks: Sheet['marks'] = {};
    let n = 0;
    judges.forEach((j, ji) => {
      for (const crit of event.criteria) {
        if (crit.id === open.id && ji < c.open) continue;
        const units = Math.floor((crit.max - crit.min) / crit.step);
        (marks[j] ??= {})[crit.id] = String(
          crit.min + ((c.seed[n++ % c.seed.length] ?? 0) % (units + 1)) * crit.step,
        );
      }
    });
    const deductions = c.deduction === null ? [] : [{ id: 'd1', points: c.deduction, reason: 'late' }];
    const target = (c.target / 10 ** Math.min(c.decimals, 1)).toFixed(c.decimals);
    return { event, judges, sheet: makeSheet(marks, { deductions }), target, open };
  });

function totalWith(event: ContestEvent, judges: string[], sheet: Sheet, mark: string): string {
  const filled = structuredClone(sheet);
  for (const s of openSlots(event, judges, sheet)) (filled.marks[s.judgeId] ??= {})[s.criterionId] = mark;
  return computeSheet(event, judges, filled).total;
}

describe('what it takes: the mark the remaining judges must give', () => {
  it('is exact: that mark reaches the target total and one mark step worse does not (computeSheet decides)', () => {
    fc.assert(
      fc.property(caseArb, ({ event, judges, sheet, target, open }) => {
        const f = markForTarget(event, judges, sheet, target);
        expect(f).not.toBeNull();
        const lower = event.scoring.better === 'lower';
        const reaches = (mark: string) =>
          compare(parse(totalWith(event, judges, sheet, mark)), parse(target)) * (lower ? -1 : 1) >= 0;
        const step = parse(open.step);
        const min = parse(open.min);
        const max = min.plus(parse(open.max).minus(min).divToInt(step).times(step));
        if (f!.status === 'out_of_reach') {
          expect(reaches((lower ? min : max).toString())).toBe(false);
          return;
        }
        expect(reaches(f!.mark!)).toBe(true);
        if (f!.status === 'secured') {
          expect(f!.mark).toBe((lower ? max : min).toString());
          return;
        }
        const worse = lower ? parse(f!.mark!).plus(step) : parse(f!.mark!).minus(step);
        expect(reaches(worse.toString())).toBe(false);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('the range is every missing mark at its minimum and at its maximum', () => {
    const event = makeEvent([{ id: 'a' }, { id: 'b', max: 9, step: 2 }], { decimals: 1 });
    const sheet = makeSheet({ j1: { a: '6' }, j2: { a: '8', b: '3' } });
    // b: j1 open, grid 0..8 → mean(0,3)=1.5 / mean(8,3)=5.5; a = 7.
    expect(sheetRange(event, ['j1', 'j2'], sheet)).toEqual({ lowest: '8.5', highest: '12.5' });
    expect(markForTarget(event, ['j1', 'j2'], sheet, '11.5')).toMatchObject({ mark: '6', judgeIds: ['j1'] });
  });

  it('no single-criterion answer when marks are missing on two criteria', () => {
    const event = makeEvent([{ id: 'a' }, { id: 'b' }]);
    expect(markForTarget(event, ['j1'], makeSheet({}), '5')).toBeNull();
  });
});

describe('why this rank: the sheet taken apart', () => {
  it('strikes through the marks a trimmed mean dropped (k lowest and k highest)', () => {
    const event = makeEvent([{ id: 'a' }], { aggregation: { kind: 'trimmed', trim: 1 } });
    const sheet = makeSheet({ j1: { a: '9' }, j2: { a: '6' }, j3: { a: '7' }, j4: { a: '7.5' } });
    const b = sheetBreakdown(event, judgeIds(4), sheet, true);
    expect(b.criteria[0]).toMatchObject({ score: '7.25' });
    expect(b.criteria[0]!.marks!.filter((m) => m.dropped).map((m) => m.judgeId)).toEqual(['j1', 'j2']);
    expect(sheetBreakdown(event, judgeIds(4), sheet, false).criteria[0]).toMatchObject({
      marks: null,
      score: null,
    });
    expect(
      droppedMarks(1, [
        { judgeId: 'x', mark: '1' },
        { judgeId: 'y', mark: '2' },
      ]).size,
    ).toBe(0);
  });
});
