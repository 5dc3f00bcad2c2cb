/**
 * The organiser's view of one round's official results: signatures and appeals per contestant,
 * the event's appeal deadline, the round's notice and qualification line (shared/officialLines.ts).
 */
import type { PublicControl } from '../../shared/events.ts';
import type { Competition, ContestEvent, Round } from '../../shared/model.ts';
import { officialStatus } from '../../shared/official.ts';
import type { OfficialLines } from '../../shared/officialLines.ts';
import { own } from '../../shared/records.ts';
import type { Store } from '../store/types.ts';
import { roundKey } from './control.ts';
import { contestantsOf } from './scoreSheets.ts';

const CHUNK = 200;

export async function officialLines(
  store: Pick<Store, 'getSheet'>,
  setup: Competition,
  event: ContestEvent,
  round: Round,
  control: PublicControl,
): Promise<OfficialLines> {
  const people = contestantsOf(setup, event.id);
  const lines: OfficialLines['lines'] = [];
  for (let i = 0; i < people.length; i += CHUNK) {
    const chunk = people.slice(i, i + CHUNK);
    const sheets = await Promise.all(
      chunk.map(
        async (c) =>
          (await store.getSheet(setup.id, { eventId: event.id, roundId: round.id, contestantId: c.id }))
            .value,
      ),
    );
    chunk.forEach((c, j) => {
      const sheet = sheets[j];
      lines.push({
        contestantId: c.id,
        signed: sheet?.signed !== undefined,
        signedBy: sheet?.signed?.by ?? null,
        appeals: (sheet?.appeals ?? []).map((a) => ({ ...a })),
      });
    });
  }
  const key = roundKey(event.id, round.id);
  return {
    ok: true,
    eventId: event.id,
    roundId: round.id,
    status: officialStatus(event, round.id, control),
    appealsCloseAt: own(control.appealDeadlines ?? {}, event.id) ?? null,
    noticeEndsAt: own(control.notices ?? {}, key)?.endsAt ?? null,
    qualification: own(control.qualification ?? {}, key) ?? null,
    lines,
  };
}
