/**
 * The ContestService as the live layer's LiveService: change notifications split into the pushes
 * the broadcaster sends (and each assigned judge's new worklist line), null results turned into
 * 'not_found', and the public view read fresh with the domain's own freeze rules.
 */
import type { SheetSummary } from '../../shared/events.ts';
import type { Actor } from '../domain/actor.ts';
import { freezeOf, parseControl, toPublicControl } from '../domain/control.ts';
import { PodiumError } from '../domain/errors.ts';
import { findEvent } from '../domain/policy.ts';
import type { ContestService, ChangeNotification } from '../domain/service.ts';
import { judgeLine } from '../domain/views.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import type { LiveChange, LiveService } from './ports.ts';

/** Adapt `service` (and the store it writes to) to the LiveService port. */
export function liveServiceFrom(service: ContestService, store: Store, logger: Logger): LiveService {
  async function setupOrThrow(competitionId: string) {
    const setup = await service.getSetup(competitionId);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    return setup;
  }

  /** Every assigned judge's line for the sheet that changed. */
  async function sheetChanges(competitionId: string, summary: SheetSummary): Promise<LiveChange[]> {
    const setup = await setupOrThrow(competitionId);
    const event = findEvent(setup, summary.eventId);
    const key = { eventId: summary.eventId, roundId: summary.roundId, contestantId: summary.contestantId };
    const [sheet, control] = await Promise.all([
      store.getSheet(competitionId, key),
      store.getControl(competitionId),
    ]);
    const onStage = parseControl(control.value).stage[key.eventId];
    const staged = onStage?.roundId === key.roundId && onStage.contestantId === key.contestantId;
    return setup.judges
      .filter((j) => j.eventIds.includes(key.eventId))
      .map((j) => ({
        kind: 'sheet',
        competitionId,
        judgeId: j.id,
        line: judgeLine(setup, event, key, sheet.value, j.id, staged),
      }));
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
        if (change.sheet !== undefined) {
          sheetChanges(competitionId, change.sheet).then(
            (changes) => changes.forEach(listener),
            (err: unknown) => logger.warn({ err, competitionId }, 'judge sheet update failed'),
          );
        }
      });
    },

    async listCompetitions() {
      const ids = await store.listCompetitions();
      const setups = await Promise.all(ids.map((id) => service.getSetup(id)));
      return setups.flatMap((s) =>
        s === null
          ? []
          : [{ id: s.id, name: s.name, events: s.events.map((e) => ({ id: e.id, name: e.name })) }],
      );
    },

    async getPublicCompetition(competitionId) {
      const competition = await service.getPublicCompetition(competitionId);
      if (competition === null)
        throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
      return competition;
    },

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
