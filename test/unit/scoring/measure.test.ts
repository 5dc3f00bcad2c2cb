import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, parse, roundHalfUp, type Fraction } from '../../../shared/decimal.ts';
import { eventSchema, measureConversionSchema, type MeasureConversion } from '../../../shared/model.ts';
import { measuredPoints } from '../../../shared/scoring/index.ts';
import { makeEvent } from './fixtures.ts';

const points = (c: MeasureConversion, value: string, decimals = 6): string =>
  roundHalfUp(measuredPoints(c, parse(value)), decimals);

const tolerance = measureConversionSchema.parse({
  kind: 'tolerance',
  target: '25.00',
  bands: [
    { within: '0.02', points: '10' },
    { within: '0.05', points: '6' },
    { within: '0.10', points: '2' },
  ],
});
const fasterBetter = measureConversionSchema.parse({
  kind: 'linear',
  best: '30',
  cutoff: '60',
  points: '20',
});
const biggerBetter = measureConversionSchema.parse({
  kind: 'linear',
  best: '100',
  cutoff: '40',
  points: '9',
});

/** Exact comparison of two fractions (denominators are positive). */
const compareExact = (x: Fraction, y: Fraction): number =>
  compare(x.num.times(y.den.toString()), y.num.times(x.den.toString()));

/** Decimals with up to 3 places in [-1000, 1000]. */
const value = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => (n / 1000).toFixed(3));

describe('measured criteria converted to points (regression: no measured criterion could mean smaller wins)', () => {
  it('tolerance table: hand-worked deviations, band edges included, outside every band → 0', () => {
    expect(points(tolerance, '25.01', 2)).toBe('10.00');
    expect(points(tolerance, '24.98', 2)).toBe('10.00'); // |−0.02| is on the first edge
    expect(points(tolerance, '24.96', 2)).toBe('6.00');
    expect(points(tolerance, '25.10', 2)).toBe('2.00');
    expect(points(tolerance, '25.100001', 2)).toBe('0.00');
  });

  it('linear scale: hand-worked values, exact thirds, both directions', () => {
    expect(points(fasterBetter, '45', 2)).toBe('10.00');
    expect(points(fasterBetter, '50', 2)).toBe('6.67'); // 20 × 10 / 30 = 6.666…
    expect(points(fasterBetter, '52.5', 2)).toBe('5.00');
    expect(points(fasterBetter, '25', 2)).toBe('20.00');
    expect(points(fasterBetter, '61', 2)).toBe('0.00');
    expect(points(biggerBetter, '70', 2)).toBe('4.50'); // 9 × (70 − 40) / 60
    expect(points(biggerBetter, '120', 2)).toBe('9.00');
    expect(points(biggerBetter, '40', 2)).toBe('0.00');
  });

  it('linear scale hits its endpoints exactly, for any best, cut-off and points', () => {
    fc.assert(
      fc.property(value, value, value, (best, cutoff, full) => {
        fc.pre(compare(parse(best), parse(cutoff)) !== 0);
        const c = measureConversionSchema.parse({
          kind: 'linear',
          best,
          cutoff,
          points: parse(full).abs().toFixed(),
        });
        const atBest = measuredPoints(c, parse(best));
        expect(compareExact(atBest, { num: parse(full).abs(), den: 1n })).toBe(0);
        expect(measuredPoints(c, parse(cutoff)).num.isZero()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a better measurement never scores fewer points (linear, either direction)', () => {
    fc.assert(
      fc.property(value, value, value, value, (best, cutoff, a, b) => {
        fc.pre(compare(parse(best), parse(cutoff)) !== 0);
        const c = measureConversionSchema.parse({ kind: 'linear', best, cutoff, points: '10' });
        const lowerBetter = compare(parse(best), parse(cutoff)) < 0;
        // "better" is nearer best: smaller when best < cutoff, bigger otherwise.
        const [better, worse] = compare(parse(a), parse(b)) <= 0 === lowerBetter ? [a, b] : [b, a];
        const pb = measuredPoints(c, parse(better));
        const pw = measuredPoints(c, parse(worse));
        expect(compareExact(pb, pw)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a smaller deviation never scores fewer points (tolerance, any valid table)', () => {
    const table = fc
      .uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 6 })
      .chain((edges) =>
        fc
          .array(fc.integer({ min: 0, max: 100 }), { minLength: edges.length, maxLength: edges.length })
          .map((ps) => {
            const within = [...edges].sort((x, y) => x - y);
            const pts = [...ps].sort((x, y) => y - x);
            return within.map((w, i) => ({ within: (w / 1000).toFixed(3), points: String(pts[i]) }));
          }),
      );
    fc.assert(
      fc.property(table, value, value, value, (bands, target, a, b) => {
        const c = measureConversionSchema.parse({ kind: 'tolerance', target, bands });
        const dev = (v: string) => parse(v).minus(parse(target)).abs();
        const [closer, farther] = compare(dev(a), dev(b)) <= 0 ? [a, b] : [b, a];
        const pc = measuredPoints(c, parse(closer));
        expect(compareExact(pc, measuredPoints(c, parse(farther)))).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses tables that would reward a worse measurement, and conversions on judged criteria', () => {
    const bad = (input: unknown) => measureConversionSchema.safeParse(input).success;
    expect(
      bad({
        kind: 'tolerance',
        bands: [
          { within: '0.1', points: '2' },
          { within: '0.2', points: '5' },
        ],
      }),
    ).toBe(false);
    expect(
      bad({
        kind: 'tolerance',
        bands: [
          { within: '0.2', points: '5' },
          { within: '0.1', points: '2' },
        ],
      }),
    ).toBe(false);
    expect(bad({ kind: 'linear', best: '30', cutoff: '30', points: '5' })).toBe(false);
    expect(bad({ kind: 'linear', best: '30', cutoff: '60', points: '-5' })).toBe(false);
    const event = makeEvent([{ id: 'm', kind: 'measured' }]);
    const judgedWithTable = {
      ...event,
      criteria: [{ ...event.criteria[0], kind: 'judged', convert: fasterBetter }],
    };
    expect(eventSchema.safeParse(judgedWithTable).success).toBe(false);
  });
});
