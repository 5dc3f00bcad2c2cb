/**
 * Venues of a contest held in many places (docs/VENUES.md): which venues an event runs at, the
 * set-up checks that tie contestants and judges to venues, and who belongs to a venue.
 */
import type { Competition, Venue } from '../../shared/model.ts';
import { PodiumError } from './errors.ts';

/** The venues (in set-up order) where some contestant of the event performs. */
export function venuesOfEvent(setup: Competition, eventId: string): Venue[] {
  const used = new Set(
    setup.contestants.flatMap((c) => (c.eventId === eventId && c.venueId !== undefined ? [c.venueId] : [])),
  );
  return (setup.venues ?? []).filter((v) => used.has(v.id));
}

/** Problems with the venues of a set-up: duplicate ids, contestants or judges at unknown venues. */
export function venueProblems(setup: Competition): string[] {
  const venues = setup.venues ?? [];
  const ids = new Set(venues.map((v) => v.id));
  const problems: string[] = [];
  if (ids.size !== venues.length) problems.push('venues: ids must be unique');
  for (const c of setup.contestants) {
    if (c.venueId !== undefined && !ids.has(c.venueId))
      problems.push(`contestant ${c.id}: venue ${c.venueId} does not exist`);
  }
  for (const j of setup.judges) {
    if (j.venueId !== undefined && !ids.has(j.venueId))
      problems.push(`judge ${j.id}: venue ${j.venueId} does not exist`);
  }
  return problems;
}

/** Refuse a set-up whose venues do not hold together ('invalid_payload', nothing changes). */
export function checkVenues(setup: Competition): void {
  const problems = venueProblems(setup);
  if (problems.length > 0) throw new PodiumError('invalid_payload', problems.slice(0, 5).join('; '));
}

/** True when the contestant performs at the venue. */
export function contestantAtVenue(setup: Competition, contestantId: string, venueId: string): boolean {
  return setup.contestants.some((c) => c.id === contestantId && c.venueId === venueId);
}

/** True when the judge works at the venue. */
export function judgeAtVenue(setup: Competition, judgeId: string, venueId: string): boolean {
  return setup.judges.some((j) => j.id === judgeId && j.venueId === venueId);
}
