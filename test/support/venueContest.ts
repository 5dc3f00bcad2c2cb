/**
 * A contest held at two venues for the venue tests (docs/VENUES.md): the demo competition spread
 * over v1 and v2, put on a Podium with welding/prelim open.
 */
import { randomUUID } from 'node:crypto';
import { demoCompetition } from '../../server/demo/demoCompetition.ts';
import { withVenues } from '../../server/demo/demoVenues.ts';
import type { Actor } from '../../server/domain/actor.ts';
import type { Competition } from '../../shared/model.ts';
import type { TestPodium } from './podium-server.ts';
import type { VenueNodeStatus } from '../../shared/venueStatus.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'test' };

/** The demo competition (6 contestants per event) at venues v1 and v2, with a unique id from `prefix`. */
export function twoVenueContest(prefix: string): Competition {
  return withVenues(
    demoCompetition({ competitionId: `${prefix}-${randomUUID().slice(0, 8)}`, contestantsPerEvent: 6 }),
    2,
  );
}

/** Put `setup` on `podium` as the organiser and open welding/prelim. */
export async function seedVenueContest(
  podium: Pick<TestPodium, 'service'>,
  setup: Competition,
): Promise<void> {
  await podium.service.execute(ORGANISER, {
    name: 'setup.put',
    payload: { opId: randomUUID(), competition: setup },
  });
  await podium.service.execute(ORGANISER, {
    name: 'round.state',
    payload: {
      opId: randomUUID(),
      competitionId: setup.id,
      eventId: 'welding',
      roundId: 'prelim',
      state: 'open',
    },
  });
}

/**
 * Until a link cycle of the venue node that read the hub's state after this call found the node
 * equal to the hub. (The node clears `inSync` as soon as a cycle's first answer arrives and sets it
 * only once that cycle compared, so an answer later than the call with `inSync` set is such a cycle.)
 */
export async function venueInSync(
  venue: { venueNode?: { status(): VenueNodeStatus } | null | undefined },
  what: string,
  limitMs = 20_000,
): Promise<void> {
  const since = Date.now();
  for (;;) {
    const status = venue.venueNode?.status();
    if (status?.inSync === true && (status.lastContact ?? 0) > since) return;
    if (Date.now() > since + limitMs) throw new Error(`the venue never got in sync ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
