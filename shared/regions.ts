/**
 * Region boards (docs/VENUES.md, "Region boards"): which regions of an event get a ranking of
 * their own. Shared by the server's projection and the spectator page's filter, so both name the
 * same boards.
 */
import type { Contestant, Venue } from './model.ts';

/** What the rule reads of a set-up (the full set-up or the public one). */
export interface VenuesOfSetup {
  contestants: ReadonlyArray<Pick<Contestant, 'eventId' | 'venueId'>>;
  venues?: ReadonlyArray<Pick<Venue, 'id' | 'region'>> | undefined;
}

const memo = new WeakMap<VenuesOfSetup, Map<string, ReadonlyMap<string, string>>>();

/**
 * The region board of each venue of an event that has one (venue id → region): a region gets a
 * board when two or more of the event's venues are in it, unless one region holds all of them —
 * otherwise its board would repeat a venue's or the event's. Memoised per set-up object (set-ups
 * are never mutated).
 */
export function regionBoardVenues(setup: VenuesOfSetup, eventId: string): ReadonlyMap<string, string> {
  let byEvent = memo.get(setup);
  if (byEvent === undefined) memo.set(setup, (byEvent = new Map()));
  const known = byEvent.get(eventId);
  if (known !== undefined) return known;
  const used = new Set(
    setup.contestants.flatMap((c) => (c.eventId === eventId && c.venueId ? [c.venueId] : [])),
  );
  const venues = (setup.venues ?? []).filter((v) => used.has(v.id));
  const count = new Map<string, number>();
  for (const v of venues) count.set(v.region, (count.get(v.region) ?? 0) + 1);
  const result = new Map<string, string>();
  if (count.size > 1) {
    for (const v of venues) if ((count.get(v.region) ?? 0) >= 2) result.set(v.id, v.region);
  }
  byEvent.set(eventId, result);
  return result;
}

/** The regions of an event that have a board, in the order their first venue is listed. */
export function regionsWithBoards(setup: VenuesOfSetup, eventId: string): string[] {
  return [...new Set(regionBoardVenues(setup, eventId).values())];
}
