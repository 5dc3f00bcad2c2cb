/** Which medal a placing earns. */
import { compare, parse } from '../decimal.ts';
import type { MedalRule } from '../model.ts';

export type Medal = 'gold' | 'silver' | 'bronze';

/**
 * By rank: gold for ranks 1..gold, silver for ranks up to `silver`, bronze up to `bronze`.
 * By threshold: the best medal whose minimum the total reaches (total ≥ threshold).
 */
export function medalFor(rule: MedalRule, rank: number, total: string): Medal | null {
  if (rule.kind === 'rank') {
    if (!Number.isInteger(rank) || rank < 1) return null;
    if (rank <= rule.gold) return 'gold';
    if (rank <= rule.silver) return 'silver';
    if (rank <= rule.bronze) return 'bronze';
    return null;
  }
  const value = parse(total);
  if (compare(value, parse(rule.gold)) >= 0) return 'gold';
  if (compare(value, parse(rule.silver)) >= 0) return 'silver';
  if (compare(value, parse(rule.bronze)) >= 0) return 'bronze';
  return null;
}
