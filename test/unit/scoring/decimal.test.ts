import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFractions, canonical, div, fraction, parse, roundHalfUp } from '../../../shared/decimal.ts';
import { plus, rational, roundRef } from './reference.ts';

/** A decimal string with up to 14 integer and 6 decimal digits, possibly negative. */
const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }))
  .map(([n, places]) => {
    const digits = (n < 0n ? -n : n).toString().padStart(places + 1, '0');
    const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return n < 0n ? `-${body}` : body;
  });

describe('decimal helpers', () => {
  it('round half-up on exact decimals', () => {
    expect(roundHalfUp(parse('8.345'), 2)).toBe('8.35');
    expect(roundHalfUp(parse('8.35'), 2)).toBe('8.35');
    expect(roundHalfUp(parse('8.3449999'), 2)).toBe('8.34');
    expect(roundHalfUp(parse('90'), 2)).toBe('90.00');
    expect(roundHalfUp(parse('2.5'), 0)).toBe('3');
    expect(roundHalfUp(parse('-2.5'), 0)).toBe('-3');
    expect(roundHalfUp(parse('-0.001'), 2)).toBe('0.00');
    expect(roundHalfUp(parse(0.1), 4)).toBe('0.1000');
  });

  it('keep thirds exact as fractions', () => {
    const third = div(parse('1'), parse('3'));
    expect(roundHalfUp(third, 2)).toBe('0.33');
    expect(roundHalfUp(div(parse('2'), parse('3')), 2)).toBe('0.67');
    expect(roundHalfUp(addFractions(third, addFractions(third, third)), 4)).toBe('1.0000');
    expect(roundHalfUp(addFractions(third, div(parse('1'), parse('6'))), 0)).toBe('1'); // exactly 0.5
    expect(roundHalfUp(div(parse('1'), parse('-8')), 2)).toBe('-0.13');
  });

  it('refuse text that is not a plain decimal', () => {
    for (const bad of ['', 'abc', '0x10', 'NaN', 'Infinity', '1,5'])
      expect(() => parse(bad)).toThrow(RangeError);
    expect(() => parse(Number.NaN)).toThrow(RangeError);
    expect(() => div(parse('1'), parse('0'))).toThrow(RangeError);
  });

  it('print canonical text without exponent', () => {
    expect(canonical(parse('8.50'))).toBe('8.5');
    expect(canonical(parse('1e-7'))).toBe('0.0000001');
    expect(canonical(parse('-0'))).toBe('0');
    expect(canonical(parse('123456789012345678901234567890'))).toBe('123456789012345678901234567890');
  });

  it('round a/b + c/d exactly like a BigInt reference', () => {
    fc.assert(
      fc.property(
        decimalText,
        fc.integer({ min: 1, max: 2000 }),
        decimalText,
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 4 }),
        (a, n, b, m, places) => {
          const got = roundHalfUp(
            addFractions(fraction(parse(a), BigInt(n)), fraction(parse(b), BigInt(m))),
            places,
          );
          const ref = plus(
            { ...rational(a), q: rational(a).q * BigInt(n) },
            { ...rational(b), q: rational(b).q * BigInt(m) },
          );
          expect(got).toBe(roundRef(ref, places));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round exact halves up for every number of decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 4 }), (n, places) => {
        // n + 0.5 units of the last kept place is an exact half: it must round up to n + 1.
        const half = (2n * n + 1n).toString();
        const value = div(parse(half), parse(String(2 * 10 ** places)));
        expect(roundHalfUp(value, places)).toBe(roundRef({ p: n + 1n, q: 10n ** BigInt(places) }, places));
      }),
      { numRuns: 300 },
    );
  });
});
