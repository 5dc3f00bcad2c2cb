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
