/** Team and organisation standings from their members' totals. */
import { compare, fraction, parse, roundHalfUp, sum } from '../decimal.ts';
import type { StandingRule } from '../model.ts';

/**
 * Sum or mean of the best `rule.bestN` member totals (fewer if there are fewer members),
 * rounded half-up to `decimals`; no members → 0. Best means highest, or lowest when the event's
 * rule says lower is better.
 */
export function standingTotal(
  rule: StandingRule,
  memberTotals: readonly string[],
  decimals: number,
  better: 'higher' | 'lower' = 'higher',
): string {
  const best = memberTotals
    .map((t) => parse(t))
    .sort((a, b) => (better === 'lower' ? compare(a, b) : compare(b, a)))
    .slice(0, rule.bestN);
  const total = sum(best);
  if (rule.method === 'sum' || best.length === 0) return roundHalfUp(total, decimals);
  return roundHalfUp(fraction(total, BigInt(best.length)), decimals);
}
