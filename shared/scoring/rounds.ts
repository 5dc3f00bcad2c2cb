/** An event's overall result from its rounds. */
import { addFractions, fraction, parse, roundHalfUp, scaleFraction, type Fraction } from '../decimal.ts';
import type { ContestEvent } from '../model.ts';

/**
 * Σ round.weight × round total over the rounds that have a weight and a total, rounded half-up
 * to the event's decimals; null when none of them has a total. When no round has a weight the
 * overall is the last round's total alone (the final decides).
 *
 * A round total is either its published text ("7.13") or its exact value (a Fraction): with the
 * rule's `roundRounding` 'each-round' (the default) callers pass the published totals, so
 * 0.4 × 7.13 + 0.6 × 8.01 = 7.658 → 7.66; with 'once-at-end' they pass the exact totals, so
 * 0.4 × 7.125 + 0.6 × 8.005 = 7.653 → 7.65. Either way the sum itself is exact.
 */
export function combineRounds(
  event: ContestEvent,
  roundTotals: Record<string, string | Fraction | null>,
): string | null {
  const { decimals } = event.scoring;
  const totalOf = (roundId: string): Fraction | null => {
    const total = Object.hasOwn(roundTotals, roundId) ? (roundTotals[roundId] ?? null) : null;
    return total === null ? null : typeof total === 'string' ? fraction(parse(total)) : total;
  };

  const weighted = event.rounds.filter((r) => r.weight !== undefined);
  if (weighted.length === 0) {
    const last = event.rounds.at(-1);
    const total = last === undefined ? null : totalOf(last.id);
    return total === null ? null : roundHalfUp(total, decimals);
  }
  let combined: Fraction | null = null;
  for (const round of weighted) {
    const total = totalOf(round.id);
    if (total === null || round.weight === undefined) continue;
    const term = scaleFraction(total, parse(round.weight));
    combined = combined === null ? term : addFractions(combined, term);
  }
  return combined === null ? null : roundHalfUp(combined, decimals);
}
