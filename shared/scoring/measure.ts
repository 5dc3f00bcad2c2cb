/** Measured criteria: how an entered measurement (a time, a size in mm) becomes points. */
import {
  compare,
  div,
  fraction,
  parse,
  scaleFraction,
  ZERO,
  type Decimal,
  type Fraction,
} from '../decimal.ts';
import type { MeasureConversion } from '../model.ts';

/**
 * Points for a measured value, exactly.
 * tolerance: the points of the first (tightest) band with |value − target| ≤ within; none fits → 0.
 * linear: `points` at `best` or better, 0 at `cutoff` or worse, points × (cutoff − value) /
 * (cutoff − best) in between — best < cutoff means lower is better, best > cutoff higher is better.
 */
export function measuredPoints(conversion: MeasureConversion, value: Decimal): Fraction {
  if (conversion.kind === 'tolerance') {
    const deviation = value.minus(parse(conversion.target)).abs();
    const band = conversion.bands.find((b) => compare(deviation, parse(b.within)) <= 0);
    return fraction(band === undefined ? ZERO : parse(band.points));
  }
  const best = parse(conversion.best);
  const cutoff = parse(conversion.cutoff);
  const points = parse(conversion.points);
  // Distance still to go to the cut-off, as a share of the whole best → cut-off span (signs cancel).
  const span = cutoff.minus(best);
  const left = cutoff.minus(value);
  if (compare(left, ZERO) === 0 || left.isNegative() !== span.isNegative()) return fraction(ZERO);
  if (compare(left.abs(), span.abs()) >= 0) return fraction(points);
  return scaleFraction(div(left, span), points);
}
