/** An event's overall result from its rounds. */
import { parse, roundHalfUp, sum } from '../decimal.ts';
import type { ContestEvent } from '../model.ts';

/**
 * Σ round.weight × round total over the rounds that have a weight and a total, rounded half-up
 * to the event's decimals; null when none of them has a total. When no round has a weight the
 * overall is the last round's total alone (the final decides).
 */
export function combineRounds(
  event: ContestEvent,
  roundTotals: Record<string, string | null>,
): string | null {
  const { decimals } = event.scoring;
  const totalOf = (roundId: string): string | null =>
    Object.hasOwn(roundTotals, roundId) ? (roundTotals[roundId] ?? null) : null;

  const weighted = event.rounds.filter((r) => r.weight !== undefined);
  if (weighted.length === 0) {
    const last = event.rounds.at(-1);
    const total = last === undefined ? null : totalOf(last.id);
    return total === null ? null : roundHalfUp(parse(total), decimals);
  }
  const terms = weighted.flatMap((round) => {
    const total = totalOf(round.id);
    return total === null || round.weight === undefined ? [] : [parse(round.weight).times(parse(total))];
  });
  return terms.length === 0 ? null : roundHalfUp(sum(terms), decimals);
}
