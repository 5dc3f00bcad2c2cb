/** Planning a control command (rounds, stage, freeze, reveal, embargo) with the boards it needs. */
import type { RankedRow } from '../../shared/boards.ts';
import type { Competition } from '../../shared/model.ts';
import type { Commit } from '../store/types.ts';
import { allRows, boardVersion } from './competitionCache.ts';
import { stagesOfEvent, toPublicControl, type ControlState } from './control.ts';
import {
  applyControlCommand,
  ceremonyBoard,
  frozenBoardIds,
  stageVenueOf,
  type ControlCommand,
} from './controlOps.ts';
import type { Plan, PlanReads } from './plan.ts';
import { judgedRounds, requireSignedOff, type RoundSheet } from './draws.ts';
import { findEvent } from './policy.ts';
import { stageView } from './views.ts';

export async function planControl(
  { store }: PlanReads,
  competitionId: string,
  setup: Competition,
  control: ControlState,
  command: ControlCommand,
  expect: Commit['expect'],
): Promise<Plan> {
  if (command.name === 'draw.decode' || command.name === 'draw.confirm') {
    await checkSignedOff({ store }, competitionId, setup, control, command.payload.eventId, expect);
  }
  const boards = await controlBoards({ store }, competitionId, setup, command, expect);
  const applied = applyControlCommand(setup, control, command, boards);
  const plan: Plan = {
    commit: { expect, sheets: [], boards: [], control: applied.control },
    result: {},
    reset: applied.reset,
    control: toPublicControl(competitionId, applied.control, setup),
  };
  if (command.name === 'stage.set') {
    const { eventId, roundId, contestantId } = command.payload;
    const venueId = stageVenueOf(setup, command.payload);
    const key = contestantId === null ? null : { eventId, roundId, contestantId };
    const sheet = key === null ? null : (await store.getSheet(competitionId, key)).value;
    const event = findEvent(setup, eventId);
    plan.stage = stageView(competitionId, setup, event, roundId, contestantId, sheet, venueId);
  }
  if (command.name === 'round.finalize') {
    // The stages the finalize emptied (at every venue): open screens must stop showing them.
    const { eventId, roundId } = command.payload;
    const event = findEvent(setup, eventId);
    const after = new Set(stagesOfEvent(applied.control, eventId).map((s) => s.venueId ?? ''));
    plan.stages = stagesOfEvent(control, eventId)
      .filter((s) => s.onStage.roundId === roundId && !after.has(s.venueId ?? ''))
      .map((s) => stageView(competitionId, setup, event, roundId, null, null, s.venueId));
  }
  return plan;
}

/**
 * The boards a control command needs: for a freeze, every covered board with its live rows (their
 * versions guard the commit); for an embargo, the event's board ids; otherwise none.
 */
async function controlBoards(
  { store }: Pick<PlanReads, 'store'>,
  competitionId: string,
  setup: Competition,
  command: ControlCommand,
  expect: Commit['expect'],
): Promise<Map<string, RankedRow[]>> {
  const boards = new Map<string, RankedRow[]>();
  if (command.name === 'event.embargo' || command.name === 'draw.confirm') {
    for (const board of await store.listBoards(competitionId)) boards.set(board, []);
  }
  if (
    command.name === 'board.reveal' ||
    command.name === 'round.qualifiers' ||
    (command.name === 'round.finalize' && command.payload.noticeEndsAt !== undefined)
  ) {
    // The step (or the qualification line) reads the round's ranking; its version guards the commit.
    const board = ceremonyBoard(command.payload.eventId, command.payload.roundId);
    expect.push({ ref: { kind: 'board', board }, version: await boardVersion(store, competitionId, board) });
    boards.set(board, await allRows(store, competitionId, board));
  }
  if (command.name === 'board.freeze' && command.payload.frozen) {
    const { eventId, roundId } = command.payload;
    for (const board of frozenBoardIds(setup, eventId, roundId, await store.listBoards(competitionId))) {
      expect.push({
        ref: { kind: 'board', board },
        version: await boardVersion(store, competitionId, board),
      });
      boards.set(board, await allRows(store, competitionId, board));
    }
  }
  return boards;
}

/**
 * A decode (request or confirmation) needs the event fully signed: every result of every round
 * that was opened. Each sheet read guards the commit, so a signature withdrawn meanwhile conflicts.
 */
async function checkSignedOff(
  { store }: Pick<PlanReads, 'store'>,
  competitionId: string,
  setup: Competition,
  control: ControlState,
  eventId: string,
  expect: Commit['expect'],
): Promise<void> {
  const event = findEvent(setup, eventId);
  const contestants = setup.contestants.filter((c) => c.eventId === eventId);
  const sheets: RoundSheet[] = [];
  for (const roundId of judgedRounds(event, control)) {
    const read = await Promise.all(
      contestants.map((c) => store.getSheet(competitionId, { eventId, roundId, contestantId: c.id })),
    );
    read.forEach((r, i) => {
      const contestantId = contestants[i]?.id ?? '';
      expect.push({ ref: { kind: 'sheet', key: { eventId, roundId, contestantId } }, version: r.version });
      sheets.push({ roundId, contestantId, sheet: r.version > 0 ? r.value : null });
    });
  }
  requireSignedOff(event, control, sheets);
}
