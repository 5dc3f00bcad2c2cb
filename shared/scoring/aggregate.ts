/** How one criterion's marks from several judges become one score. */
import { compare, fraction, sum, type Decimal, type Fraction } from '../decimal.ts';
import type { Aggregation } from '../model.ts';

/**
 * Aggregate the marks one criterion received (any order), exactly; null when there are none.
 * A trimmed mean needs at least 2k+1 marks; with fewer it falls back to the plain mean of all
 * marks present (dropping k from each end would leave nothing, or only the middle by accident).
 */
export function aggregateMarks(aggregation: Aggregation, marks: readonly Decimal[]): Fraction | null {
  if (marks.length === 0) return null;
  // Exact sums do not depend on the order: only the median and the trimmed mean need sorting.
  if (aggregation.kind === 'sum') return fraction(sum(marks));
  if (aggregation.kind === 'mean') return meanOf(marks);
  const sorted = [...marks].sort(compare);
  switch (aggregation.kind) {
    case 'median':
      return fraction(medianOfSorted(sorted));
    case 'trimmed': {
      const k = aggregation.trim;
      return sorted.length < 2 * k + 1 ? meanOf(sorted) : meanOf(sorted.slice(k, sorted.length - k));
    }
  }
}

/** Median of ascending-sorted values (mean of the two middle ones for an even count); exact. */
export function medianOfSorted(sorted: readonly Decimal[]): Decimal {
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid];
  if (upper === undefined) throw new RangeError('median of no values');
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[mid - 1] as Decimal;
  // Half of a finite decimal is a finite decimal, so this division is exact.
  return lower.plus(upper).div(2);
}

function meanOf(values: readonly Decimal[]): Fraction {
  return fraction(sum(values), BigInt(values.length));
}
