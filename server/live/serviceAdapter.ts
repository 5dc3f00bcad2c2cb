/**
 * The ContestService as the live layer's LiveService: change notifications split into the pushes
 * the broadcaster sends (with the worklist lines a sheet change shows: sheetFanout.ts), null
 * results turned into 'not_found', and the public view read fresh with the domain's own freeze rules.
 */
import type { Actor } from '../domain/actor.ts';
import { freezeOf, parseControl, toPublicControl } from '../domain/control.ts';
import { PodiumError } from '../domain/errors.ts';
import type { ContestService, ChangeNotification } from '../domain/service.ts';
import { CompetitionReads } from '../gateway/reads.ts';
import type { Store } from '../store/types.ts';
import type { LiveService } from './ports.ts';
import { chiefJudgeIds, newDivergences, sheetPushes } from './sheetFanout.ts';

/** Adapt `service` (and the store it writes to) to the LiveService port. */
export function liveServiceFrom(service: ContestService, store: Store): LiveService {
  const reads = new CompetitionReads({
    listCompetitionIds: () => store.listCompetitions(),
    getSetup: (id) => service.getSetup(id),
    getControl: (id) => service.getControl(id),
  });
  async function setupOrThrow(competitionId: string) {
    const setup = await service.getSetup(competitionId);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    return setup;
  }

  return {
    execute: (actor, command) => service.execute(actor, command),

    onChange(listener) {
      return service.onChange((change: ChangeNotification) => {
        const { competitionId } = change;
        for (const delta of change.boards) listener({ kind: 'board', delta });
        if (change.control !== undefined) listener({ kind: 'control', control: change.control });
        if (change.reset.length > 0) listener({ kind: 'reset', competitionId, boards: change.reset });
        if (change.stage !== undefined) listener({ kind: 'stage', stage: change.stage });
        if (change.sheetChange !== undefined) {
          for (const { judgeIds, line } of sheetPushes(change.sheetChange))
            listener({ kind: 'sheet', competitionId, judgeIds, line });
          const chiefIds = chiefJudgeIds(change.sheetChange);
          for (const flag of newDivergences(change.sheetChange))
            listener({ kind: 'divergence', competitionId, chiefIds, flag });
        }
      });
    },

    listCompetitions: () => reads.list(),
    getPublicCompetition: (competitionId) => reads.publicCompetition(competitionId),

    async getCompetition(actor: Actor, competitionId) {
      if (actor.kind !== 'organiser') throw new PodiumError('forbidden', 'organisers only');
      return setupOrThrow(competitionId);
    },

    async publicView(competitionId) {
      const [setup, raw] = await Promise.all([
        service.getSetup(competitionId),
        store.getControl(competitionId),
      ]);
      const control = parseControl(raw.value);
      const embargoed = new Set(control.embargoed);
      return {
        control: toPublicControl(competitionId, control, setup),
        live: (board) => !embargoed.has(board.split('|')[0] ?? '') && freezeOf(control, board) === undefined,
      };
    },

    stageStates: (competitionId) => service.stageStates(competitionId),
    boardSnapshot: (competitionId, board, view) => service.boardSnapshot(competitionId, board, view),
    judgeSheets: (actor, eventId, roundId) => service.judgeSheets(actor, eventId, roundId),
  };
}
