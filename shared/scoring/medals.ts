/** Which medal a placing earns. */
import { compare, parse } from '../decimal.ts';
import type { MedalRule } from '../model.ts';

export type Medal = 'gold' | 'silver' | 'bronze';

/**
 * By rank: gold for ranks 1..gold, silver for ranks up to `silver`, bronze up to `bronze`; no rank
 * (a dns/dnf/dsq row) → no medal. By threshold: the best medal whose threshold the total reaches
 * (total ≥ threshold; total ≤ threshold when lower is better).
 */
export function medalFor(
  rule: MedalRule,
  rank: number | null,
  total: string,
  better: 'higher' | 'lower' = 'higher',
): Medal | null {
  if (rule.kind === 'rank') {
    if (rank === null || !Number.isInteger(rank) || rank < 1) return null;
    if (rank <= rule.gold) return 'gold';
    if (rank <= rule.silver) return 'silver';
    if (rank <= rule.bronze) return 'bronze';
    return null;
  }
  const value = parse(total);
  const reaches = (threshold: string): boolean =>
    compare(value, parse(threshold)) * (better === 'lower' ? -1 : 1) >= 0;
  if (reaches(rule.gold)) return 'gold';
  if (reaches(rule.silver)) return 'silver';
  if (reaches(rule.bronze)) return 'bronze';
  return null;
}
