/**
 * This process's hybrid logical clock (shared/hlc.ts): the hub's and each venue node's service
 * stamp their log entries with its wall part, so audit times keep causal order across sites.
 */
import { HybridClock } from '../../shared/hlc.ts';

let clock = new HybridClock('hub');

export function siteClock(): HybridClock {
  return clock;
}

/** Name this site (a venue node calls it once with its venue id, before anything is stamped). */
export function nameSite(node: string): HybridClock {
  clock = new HybridClock(node);
  return clock;
}
