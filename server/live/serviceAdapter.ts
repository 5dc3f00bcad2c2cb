/**
 * The ContestService as the live layer's LiveService: change notifications split into the pushes
 * the broadcaster sends (with the worklist lines a sheet change shows: domain/sheetFanout.ts) and
 * null results turned into 'not_found'. Who may see what is decided in the domain (visibility.ts).
 */
import type { ContestService, ChangeNotification } from '../domain/service.ts';
import { chiefJudgeIds, newDivergences, sheetPushes } from '../domain/sheetFanout.ts';
import { CompetitionReads } from '../gateway/reads.ts';
import type { Store } from '../store/types.ts';
import type { LiveService } from './ports.ts';

/** Adapt `service` (and the store it writes to) to the LiveService port. */
export function liveServiceFrom(service: ContestService, store: Store): LiveService {
  const reads = new CompetitionReads({
    listCompetitionIds: () => store.listCompetitions(),
    getSetup: (id) => service.getSetup(id),
    getControl: (id) => service.getControl(id),
  });

  return {
    execute: (actor, command) => service.execute(actor, command),

    onChange(listener) {
      return service.onChange((change: ChangeNotification) => {
        const { competitionId } = change;
        if (change.control !== undefined) listener({ kind: 'control', control: change.control });
        if (change.reset.length > 0) listener({ kind: 'reset', competitionId, boards: change.reset });
        if (change.stage !== undefined) listener({ kind: 'stage', stage: change.stage });
        for (const stage of change.stages ?? []) listener({ kind: 'stage', stage });
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

    getCompetition: (actor, competitionId) => service.getCompetition(actor, competitionId),
    publicView: (competitionId) => service.publicView(competitionId),

    stageStates: (competitionId) => service.stageStates(competitionId),
    boardSnapshot: (competitionId, board, view) => service.boardSnapshot(competitionId, board, view),
    judgeSheets: (actor, eventId, roundId) => service.judgeSheets(actor, eventId, roundId),
  };
}
