/** Which boards exist for a set-up (before any mark), with display names and URL forms. */
import { boardKey, parseBoardKey, type BoardRef } from '../../shared/boards.ts';
import type { Competition } from '../../shared/model.ts';
import type { BoardInfo } from '../../shared/results.ts';
import { hasOverall, OVERALL } from './projection.ts';
import { regionsWithBoards } from '../../shared/regions.ts';
import { venuesOfEvent } from './venues.ts';

const SCOPE_NAME = { individual: '', team: '团体 Team', organisation: '单位 Organisation' } as const;

/** The board id with its category as plain text: the form the results URL takes (encoded once). */
export function plainBoardId(ref: BoardRef): string {
  if (ref.venueId !== undefined || ref.region !== undefined) return boardKey(ref);
  const base = `${ref.eventId}|${ref.roundId}|${ref.scope}`;
  return ref.category === undefined ? base : `${base}|${ref.category}`;
}

/**
 * Every board the set-up defines, in a stable order: per event, each round then 'overall' (when
 * some round has a weight); per round the individual board, one per category present among the
 * event's contestants, then team (when the event has a team standing) and organisation (when it
 * has an organisation standing).
 */
export function boardsOfSetup(setup: Competition): BoardInfo[] {
  const out: BoardInfo[] = [];
  for (const event of setup.events) {
    const categories = [
      ...new Set(
        setup.contestants.flatMap((c) => (c.eventId === event.id && c.category ? [c.category] : [])),
      ),
    ].sort();
    const rounds: Array<{ id: string; name: string | null }> = event.rounds.map((r) => ({
      id: r.id,
      name: r.name,
    }));
    if (hasOverall(event)) rounds.push({ id: OVERALL, name: null });
    for (const round of rounds) {
      const refs: BoardRef[] = [{ eventId: event.id, roundId: round.id, scope: 'individual' }];
      for (const category of categories)
        refs.push({ eventId: event.id, roundId: round.id, scope: 'individual', category });
      if (event.scoring.teamStanding) refs.push({ eventId: event.id, roundId: round.id, scope: 'team' });
      if (event.scoring.organisationStanding)
        refs.push({ eventId: event.id, roundId: round.id, scope: 'organisation' });
      for (const venue of venuesOfEvent(setup, event.id))
        refs.push({ eventId: event.id, roundId: round.id, scope: 'individual', venueId: venue.id });
      for (const region of regionsWithBoards(setup, event.id))
        refs.push({ eventId: event.id, roundId: round.id, scope: 'individual', region });
      for (const ref of refs) {
        const venueName = setup.venues?.find((v) => v.id === ref.venueId)?.name;
        const parts = [
          event.name,
          round.name ?? '总成绩 Overall',
          venueName ?? ref.region ?? ref.category ?? SCOPE_NAME[ref.scope],
        ];
        out.push({
          board: boardKey(ref),
          path: encodeURIComponent(plainBoardId(ref)),
          eventId: event.id,
          eventName: event.name,
          roundId: round.id,
          roundName: round.name,
          scope: ref.scope,
          category: ref.category ?? null,
          ...(ref.venueId === undefined ? {} : { venueId: ref.venueId }),
          ...(ref.region === undefined ? {} : { region: ref.region }),
          name: parts.filter((p) => p !== '').join(' · '),
        });
      }
    }
  }
  return out;
}

/**
 * The board a results URL names, or null. `given` is the path segment after one percent-decoding
 * (or the `?board=` value): either a board id (category percent-encoded) or the plain form
 * (category as text). Only boards of the set-up match.
 */
export function findBoard(boards: readonly BoardInfo[], given: string): BoardInfo | null {
  const byId = boards.find((b) => b.board === given);
  if (byId !== undefined) return byId;
  const ref = parseBoardKey(given.split('|').length >= 4 ? boardKeyOfPlain(given) : given);
  if (ref === null) return null;
  return boards.find((b) => b.board === boardKey(ref)) ?? null;
}

function boardKeyOfPlain(plain: string): string {
  const [eventId = '', roundId = '', scope = '', ...rest] = plain.split('|');
  return `${eventId}|${roundId}|${scope}|${encodeURIComponent(rest.join('|'))}`;
}
