/**
 * One round's official lines as a console view shows them (GET /api/competitions/:id/official),
 * read again on request; an answer for a round no longer chosen is dropped.
 */
import type { OfficialLines } from '../../../shared/officialLines.ts';
import { messageOf, type AdminContext } from './context.svelte.ts';
import { readOfficial } from './officialRead.ts';

export class OfficialLinesRead {
  data = $state.raw<OfficialLines | null>(null);
  problem = $state<string | null>(null);

  /** `ctx()`: the console's context now; `round()`: the event and round chosen now (empty ids: none). */
  constructor(
    private readonly ctx: () => AdminContext,
    private readonly round: () => { eventId: string; roundId: string },
  ) {}

  async load(): Promise<void> {
    const ctx = this.ctx();
    const competitionId = ctx.competitionId;
    const { eventId, roundId } = this.round();
    if (competitionId === null || eventId === '' || roundId === '') return;
    try {
      const answer = await readOfficial(ctx.api, competitionId, eventId, roundId);
      const chosen = this.round();
      if (answer.eventId === chosen.eventId && answer.roundId === chosen.roundId) this.data = answer;
      this.problem = null;
    } catch (error) {
      this.problem = messageOf(error);
    }
  }
}
