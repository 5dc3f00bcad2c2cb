import { describe, expect, it } from 'vitest';
import { medalFor } from '../../../shared/scoring/index.ts';

describe('medalFor', () => {
  it('by rank bands: 1 gold, 2–3 silver, 4–6 bronze', () => {
    const rule = { kind: 'rank' as const, gold: 1, silver: 3, bronze: 6 };
    expect([1, 2, 3, 4, 6, 7].map((rank) => medalFor(rule, rank, '0'))).toEqual([
      'gold',
      'silver',
      'silver',
      'bronze',
      'bronze',
      null,
    ]);
    expect(medalFor(rule, 0, '0')).toBeNull();
  });

  it('by score thresholds, inclusive and exact', () => {
    const rule = { kind: 'threshold' as const, gold: '90', silver: '80.5', bronze: '70' };
    expect(medalFor(rule, 9, '90.00')).toBe('gold');
    expect(medalFor(rule, 1, '89.99')).toBe('silver');
    expect(medalFor(rule, 1, '80.5')).toBe('silver');
    expect(medalFor(rule, 1, '80.49')).toBe('bronze');
    expect(medalFor(rule, 1, '69.999')).toBeNull();
  });
});
