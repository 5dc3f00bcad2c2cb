import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standingTotal } from '../../../shared/scoring/index.ts';

describe('standingTotal', () => {
  it('sums or averages the best N members', () => {
    const members = ['70.5', '92.25', '88', '60'];
    expect(standingTotal({ method: 'sum', bestN: 3 }, members, 2)).toBe('250.75');
    // (92.25 + 88 + 70.5) / 3 = 83.58333… → 83.58
    expect(standingTotal({ method: 'mean', bestN: 3 }, members, 2)).toBe('83.58');
    expect(standingTotal({ method: 'mean', bestN: 10 }, members, 1)).toBe('77.7'); // 310.75 / 4 = 77.6875
    expect(standingTotal({ method: 'mean', bestN: 2 }, [], 2)).toBe('0.00');
  });

  it('does not depend on member order', () => {
    const total = fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2));
    fc.assert(
      fc.property(
        fc.array(total, { maxLength: 12 }),
        fc.constantFrom('sum' as const, 'mean' as const),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (members, method, bestN, decimals) => {
          const rule = { method, bestN };
          const reversed = standingTotal(rule, [...members].reverse(), decimals);
          const sorted = standingTotal(rule, [...members].sort(), decimals);
          expect(reversed).toBe(standingTotal(rule, members, decimals));
          expect(sorted).toBe(reversed);
        },
      ),
      { numRuns: 300 },
    );
  });
});
