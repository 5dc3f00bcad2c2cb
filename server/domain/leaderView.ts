/**
 * What a team leader sees (shared/leader.ts): the team's contestants, the rounds of their events
 * with each event's appeal deadline and each round's state, and every appeal on the team's
 * contestants' results. Nothing else: no marks, no totals, no other team's contestant.
 */
import type { PublicControl } from '../../shared/events.ts';
import type { LeaderAppeal, LeaderView } from '../../shared/leader.ts';
import type { Competition } from '../../shared/model.ts';
import { officialStatus } from '../../shared/official.ts';
import { own } from '../../shared/records.ts';
import { PodiumError } from './errors.ts';
import type { Store } from '../store/types.ts';
import { roundKey } from './control.ts';

export async function leaderView(
  store: Pick<Store, 'getSheet'>,
  setup: Competition,
  control: PublicControl,
  teamId: string,
  now: number,
): Promise<LeaderView> {
  const team = setup.teams.find((t) => t.id === teamId);
  if (team === undefined) throw new PodiumError('not_found', `no team ${teamId} in this competition`);
  const members = setup.contestants
    .filter((c) => c.teamId === teamId)
    .sort((a, b) => a.bib.localeCompare(b.bib, undefined, { numeric: true }));
  const eventIds = new Set(members.map((c) => c.eventId));
  const events = setup.events.filter((e) => eventIds.has(e.id));
  const appeals: LeaderAppeal[] = [];
  // A team has a handful of contestants and rounds: one sheet read each is cheap.
  for (const c of members) {
    const event = events.find((e) => e.id === c.eventId);
    for (const round of event?.rounds ?? []) {
      const key = { eventId: c.eventId, roundId: round.id, contestantId: c.id };
      const sheet = (await store.getSheet(setup.id, key)).value;
      for (const a of sheet?.appeals ?? []) appeals.push({ ...a, ...key });
    }
  }
  return {
    ok: true,
    competition: { id: setup.id, name: setup.name },
    team: { id: team.id, name: team.name },
    events: events.map((e) => ({
      id: e.id,
      name: e.name,
      appealsCloseAt: own(control.appealDeadlines ?? {}, e.id) ?? null,
      rounds: e.rounds.map((r) => ({
        id: r.id,
        name: r.name,
        state: own(control.rounds, roundKey(e.id, r.id)) ?? 'pending',
        status: officialStatus(e, r.id, control, now),
      })),
    })),
    // Names only: a drawn number (anonymised events) is never shown here, so nothing links the two.
    contestants: members.map((c) => ({ id: c.id, eventId: c.eventId, name: c.name })),
    appeals,
    now,
  };
}
