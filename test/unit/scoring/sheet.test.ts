import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSheet } from '../../../shared/scoring/index.ts';
import type { ContestEvent, Sheet } from '../../../shared/model.ts';
import { judgeIds, makeEvent, makeSheet, marksFor } from './fixtures.ts';
import { sheetRef } from './reference.ts';

const FIVE = ['8.5', '9.0', '7.5', '9.5', '8.0'];

describe('computeSheet worked examples', () => {
  it('trimmed mean k=1 of 8.5, 9.0, 7.5, 9.5, 8.0 drops 9.5 and 7.5 → 8.50', () => {
    const event = makeEvent([{ id: 'c' }], { aggregation: { kind: 'trimmed', trim: 1 } });
    const result = computeSheet(event, judgeIds(5), makeSheet(marksFor('c', FIVE)));
    expect(result.total).toBe('8.50');
    expect(result.criteria).toEqual({ c: '8.50' });
    expect(result.complete).toBe(true);
    expect(result.markedBy).toEqual(judgeIds(5));
  });

  it('sum, mean and median of the same marks', () => {
    const sheet = makeSheet(marksFor('c', ['7', '8', '9', '10']));
    const total = (aggregation: object) =>
      computeSheet(makeEvent([{ id: 'c' }], { aggregation }), judgeIds(4), sheet).total;
    expect(total({ kind: 'sum' })).toBe('34.00');
    expect(total({ kind: 'mean' })).toBe('8.50');
    expect(total({ kind: 'median' })).toBe('8.50'); // mean of the middle two, 8 and 9
    expect(total({ kind: 'trimmed', trim: 1 })).toBe('8.50');
  });

  it('trimmed falls back to the plain mean when fewer than 2k+1 marks are present', () => {
    const event = makeEvent([{ id: 'c' }], { aggregation: { kind: 'trimmed', trim: 2 } });
    // 4 marks < 5: mean of 6, 7, 8, 10 = 7.75 (trimming would have left nothing).
    expect(computeSheet(event, judgeIds(4), makeSheet(marksFor('c', ['6', '7', '8', '10']))).total).toBe(
      '7.75',
    );
  });

  it('applies weights and deductions: 0.4 × 8 + 0.6 × 20/3 − 0.5 = 6.70', () => {
    const event = makeEvent([
      { id: 'a', weight: '0.4' },
      { id: 'b', weight: '0.6' },
    ]);
    const sheet = makeSheet(
      { j1: { a: '7', b: '6' }, j2: { a: '8', b: '6.5' }, j3: { a: '9', b: '7.5' } },
      { deductions: [{ id: 'd1', points: '0.5', reason: 'unsafe grinding' }] },
    );
    const result = computeSheet(event, judgeIds(3), sheet);
    expect(result.criteria).toEqual({ a: '8.00', b: '6.67' });
    expect(result.total).toBe('6.70');
  });

  it('keeps repeating thirds exact until the end: 3 × mean(1, 1, 2) = 4.00, not 3.99', () => {
    const event = makeEvent([{ id: 'c', weight: '3' }]);
    const result = computeSheet(event, judgeIds(3), makeSheet(marksFor('c', ['1', '1', '2'])));
    expect(result.criteria).toEqual({ c: '1.33' });
    expect(result.total).toBe('4.00');
  });

  it('rounds an exact half reached through a repeating mean up: 0.3 × 26.5/3 = 2.65 → 2.7', () => {
    const event = makeEvent([{ id: 'c', weight: '0.3' }], { decimals: 1 });
    expect(computeSheet(event, judgeIds(3), makeSheet(marksFor('c', ['9', '9', '8.5']))).total).toBe('2.7');
  });

  it('rounds half-up once: measured 8.345 → 8.35, 8.35 stays 8.35, 90 → 90.00', () => {
    const event = makeEvent([{ id: 'time', kind: 'measured', max: 100, step: 0.001 }]);
    const total = (v: string) => computeSheet(event, [], makeSheet({}, { measured: { time: v } })).total;
    expect(total('8.345')).toBe('8.35');
    expect(total('8.35')).toBe('8.35');
    expect(total('8.3449')).toBe('8.34');
    expect(total('90')).toBe('90.00');
  });

  it('floors the total at 0 when deductions exceed the marks', () => {
    const event = makeEvent([{ id: 'c' }]);
    const sheet = makeSheet(marksFor('c', ['2']), { deductions: [{ id: 'd', points: '5', reason: 'late' }] });
    expect(computeSheet(event, judgeIds(1), sheet).total).toBe('0.00');
  });

  it('is incomplete while a judge or a measurement is missing, and ignores unassigned judges', () => {
    const event = makeEvent([{ id: 'a' }, { id: 'b' }, { id: 'len', kind: 'measured', max: 100, step: 0.1 }]);
    const sheet = makeSheet(
      { j1: { a: '8', b: '9' }, j2: { a: '6' }, intruder: { a: '0', b: '0' } },
      { measured: { len: '10' } },
    );
    const partial = computeSheet(event, ['j1', 'j2'], sheet);
    expect(partial.complete).toBe(false);
    expect(partial.markedBy).toEqual(['j1']);
    expect(partial.criteria).toEqual({ a: '7.00', b: '9.00', len: '10.00' });
    expect(partial.total).toBe('26.00');

    const noMeasure = computeSheet(event, ['j1'], { ...sheet, measured: {} });
    expect(noMeasure.complete).toBe(false);
    expect(noMeasure.criteria.len).toBeNull();
    expect(computeSheet(event, ['j1'], sheet).complete).toBe(true);
  });

  it('is never complete with judged criteria but no assigned judge', () => {
    expect(computeSheet(makeEvent([{ id: 'c' }]), [], makeSheet({})).complete).toBe(false);
  });

  it('scores dns/dnf/dsq as 0, complete, without divergences', () => {
    const event = makeEvent([{ id: 'c', divergenceTolerance: 0.5 }]);
    for (const outcome of ['dns', 'dnf', 'dsq'] as const) {
      const result = computeSheet(event, judgeIds(3), makeSheet(marksFor('c', ['1', '9']), { outcome }));
      expect(result).toMatchObject({ total: '0.00', complete: true, divergences: [] });
    }
  });

  it('flags judges far from the median of the others, not those exactly at the tolerance', () => {
    const event = makeEvent([{ id: 'c', divergenceTolerance: 1.5 }]);
    const result = computeSheet(event, judgeIds(3), makeSheet(marksFor('c', ['8', '9', '5'])));
    // j1: others 9, 5 → 7, off by 1 (ok); j2: others 8, 5 → 6.5, off by 2.5; j3: others 8, 9 → 8.5, off by 3.5.
    expect(result.divergences).toEqual([
      { criterionId: 'c', judgeId: 'j2', mark: '9', othersMedian: '6.5' },
      { criterionId: 'c', judgeId: 'j3', mark: '5', othersMedian: '8.5' },
    ]);
    const atLimit = computeSheet(event, judgeIds(2), makeSheet(marksFor('c', ['8', '9.5'])));
    expect(atLimit.divergences).toEqual([]);
  });

  it('treats ids such as "valueOf" and "toString" (and a stored "__proto__" key) as plain ids', () => {
    // "__proto__", "constructor" and "prototype" are refused as ids (shared/text.ts); names of other
    // Object.prototype members are legal ids, and a JSON-parsed "__proto__" key is an own key.
    const event = makeEvent([{ id: 'valueOf' }, { id: 'toString' }]);
    const sheet = makeSheet(JSON.parse('{"__proto__": {"valueOf": "6"}}') as Sheet['marks']);
    const result = computeSheet(event, ['__proto__'], sheet);
    expect(result.criteria).toEqual({ valueOf: '6.00', toString: null });
    expect(result.total).toBe('6.00');
    expect(result.complete).toBe(false);
  });
});

/** A random event (1–5 criteria, some measured) and a sheet marked by a random subset of judges. */
const scenario = fc
  .record({
    aggregation: fc.oneof(
      fc.constant({ kind: 'mean' as const }),
      fc.constant({ kind: 'median' as const }),
      fc.constant({ kind: 'sum' as const }),
      fc.integer({ min: 1, max: 3 }).map((trim) => ({ kind: 'trimmed' as const, trim })),
    ),
    decimals: fc.integer({ min: 0, max: 4 }),
    criteria: fc.array(
      fc.record({
        weight: fc.integer({ min: 0, max: 3_000_000 }).map((n) => (n / 1_000_000).toFixed(6)),
        measured: fc.boolean(),
        tolerance: fc.option(fc.constantFrom(0.5, 1, 2.25), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    judges: fc.integer({ min: 1, max: 7 }),
    // Marks on a 0.5 step within 0..10; null = not marked yet.
    marks: fc.array(
      fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { freq: 5 }), { minLength: 5, maxLength: 5 }),
      {
        minLength: 7,
        maxLength: 7,
      },
    ),
    measured: fc.array(fc.option(fc.integer({ min: 0, max: 10_000_000 }), { freq: 5 }), {
      minLength: 5,
      maxLength: 5,
    }),
    deductions: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 3 }),
  })
  .map((s) => {
    const event = makeEvent(
      s.criteria.map((c, i) => ({
        id: `c${i}`,
        weight: c.weight,
        kind: c.measured ? 'measured' : 'judged',
        ...(c.tolerance === undefined ? {} : { divergenceTolerance: c.tolerance }),
      })),
      { aggregation: s.aggregation, decimals: s.decimals },
    );
    const judges = judgeIds(s.judges);
    const marks: Sheet['marks'] = {};
    judges.forEach((j, ji) => {
      const row: Record<string, string> = {};
      s.criteria.forEach((_, ci) => {
        const half = s.marks[ji]?.[ci];
        if (half !== null && half !== undefined) row[`c${ci}`] = String(half / 2);
      });
      marks[j] = row;
    });
    const measured: Record<string, string> = {};
    s.criteria.forEach((_, ci) => {
      const v = s.measured[ci];
      if (v !== null && v !== undefined) measured[`c${ci}`] = (v / 1000).toFixed(3);
    });
    const deductions = s.deductions.map((d, i) => ({
      id: `d${i}`,
      points: (d / 100).toFixed(2),
      reason: 'x',
    }));
    const sheet = makeSheet(marks, { measured, deductions });
    return { event, judges, sheet };
  });

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function boundsEvent(event: ContestEvent, which: 'min' | 'max'): string[] {
  return event.criteria.map((c) => String(c[which]));
}

describe('computeSheet properties', () => {
  it('matches an independent BigInt reference exactly (totals and criteria, every rounding)', () => {
    fc.assert(
      fc.property(scenario, ({ event, judges, sheet }) => {
        const result = computeSheet(event, judges, sheet);
        const ref = sheetRef(event, judges, sheet);
        expect(result.total).toBe(ref.total);
        expect(result.criteria).toEqual(ref.criteria);
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on the order of judges or of the marks object', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 1e9 }), ({ event, judges, sheet }, seed) => {
        const reordered = {
          ...sheet,
          marks: Object.fromEntries(shuffled(Object.entries(sheet.marks), seed)),
        };
        const a = computeSheet(event, judges, sheet);
        const b = computeSheet(event, shuffled(judges, seed + 1), reordered);
        expect(b.total).toBe(a.total);
        expect(b.criteria).toEqual(a.criteria);
        expect(b.complete).toBe(a.complete);
        expect([...b.markedBy].sort()).toEqual([...a.markedBy].sort());
        const key = (d: { criterionId: string; judgeId: string }) => `${d.criterionId}/${d.judgeId}`;
        expect(b.divergences.map(key).sort()).toEqual(a.divergences.map(key).sort());
      }),
      { numRuns: 150 },
    );
  });

  it('stays between the totals of all-minimum and all-maximum marks', () => {
    fc.assert(
      fc.property(scenario, ({ event, judges, sheet }) => {
        // Judged criteria only, no deductions, every judge marks everything: the bounds are tight.
        const judgedEvent = {
          ...event,
          criteria: event.criteria.map((c) => ({ ...c, kind: 'judged' as const })),
        };
        const full = (values: string[]): Sheet =>
          makeSheet(
            Object.fromEntries(
              judges.map((j) => [
                j,
                Object.fromEntries(judgedEvent.criteria.map((c, i) => [c.id, values[i] ?? '0'])),
              ]),
            ),
          );
        const low = Number(computeSheet(judgedEvent, judges, full(boundsEvent(judgedEvent, 'min'))).total);
        const high = Number(computeSheet(judgedEvent, judges, full(boundsEvent(judgedEvent, 'max'))).total);
        const filled = Object.fromEntries(
          judges.map((j) => [
            j,
            Object.fromEntries(judgedEvent.criteria.map((c) => [c.id, sheet.marks[j]?.[c.id] ?? '5'])),
          ]),
        );
        const result = computeSheet(judgedEvent, judges, makeSheet(filled));
        expect(result.complete).toBe(true);
        expect(Number(result.total)).toBeGreaterThanOrEqual(low);
        expect(Number(result.total)).toBeLessThanOrEqual(high);
      }),
      { numRuns: 150 },
    );
  });
});
