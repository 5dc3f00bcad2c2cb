/** WorldSkills-style standardised scores, comparable across events with different marking. */
import { addFractions, div, fraction, parse, roundHalfUp, scaleFraction, sum, compare } from '../decimal.ts';
import { medianOfSorted } from './aggregate.ts';

/**
 * (x − median) / MAD × spread + centre, where MAD is the mean absolute deviation from the median
 * (chosen over the standard deviation: no square root, so it stays exact, and one outlier moves
 * it less). Rounded half-up (away from zero) to 2 decimals; all-equal totals all get `centre`.
 * When lower is better the sign flips ((median − x) / MAD …), so a better result still scores higher.
 */
export function standardise(
  totals: readonly string[],
  centre = 700,
  spread = 100,
  better: 'higher' | 'lower' = 'higher',
): string[] {
  if (totals.length === 0) return [];
  const values = totals.map((t) => parse(t));
  const median = medianOfSorted([...values].sort(compare));
  const deviations = sum(values.map((v) => v.minus(median).abs()));
  const centreValue = parse(centre);
  if (deviations.isZero()) return values.map(() => roundHalfUp(centreValue, 2));
  // MAD = deviations / n, so (x − median) / MAD × spread = (x − median) × n × spread / deviations.
  const perUnit = div(parse(spread).times(values.length * (better === 'lower' ? -1 : 1)), deviations);
  return values.map((v) =>
    roundHalfUp(addFractions(scaleFraction(perUnit, v.minus(median)), fraction(centreValue)), 2),
  );
}
