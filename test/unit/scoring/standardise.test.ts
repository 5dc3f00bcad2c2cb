import { describe, expect, it } from 'vitest';
import { standardise } from '../../../shared/scoring/index.ts';

describe('standardise', () => {
  it('maps the median to 700 and one mean absolute deviation to 100 points', () => {
    // Median 80; deviations 20, 10, 0, 10, 20 → MAD 12; 60 → 700 − 20/12 × 100 = 533.33…
    expect(standardise(['60', '70', '80', '90', '100'])).toEqual([
      '533.33',
      '616.67',
      '700.00',
      '783.33',
      '866.67',
    ]);
  });

  it('accepts another centre and spread, and keeps input order', () => {
    // Median (3 + 4) / 2 = 3.5; deviations 2.5, 2.5, 0.5, 0.5 → MAD 1.5; 1 → 500 − 2.5/1.5 × 50 = 416.67
    expect(standardise(['1', '6', '3', '4'], 500, 50)).toEqual(['416.67', '583.33', '483.33', '516.67']);
  });

  it('gives everyone the centre when all totals are equal, and nothing for nobody', () => {
    expect(standardise(['81.5', '81.50', '81.5'])).toEqual(['700.00', '700.00', '700.00']);
    expect(standardise([])).toEqual([]);
  });

  it('rounds far-below-median scores away from zero when they go negative', () => {
    // Median 100; deviations 0, 0, 100, 0, 0 → MAD 20; with centre 0: 0 → −100/20 × 100 = −500
    expect(standardise(['100', '100', '0', '100', '100'], 0, 100)).toEqual([
      '0.00',
      '0.00',
      '-500.00',
      '0.00',
      '0.00',
    ]);
  });
});
