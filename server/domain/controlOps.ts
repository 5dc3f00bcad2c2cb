/** Pure application of the control commands (rounds, stage, freeze/reveal, finalize, embargo) to the control state. */
import { boardKey, parseBoardKey, type RankedRow } from '../../shared/boards.ts';
import type { Command } from '../../shared/commands.ts';
import type { Competition } from '../../shared/model.ts';
import { PodiumError } from './errors.ts';
import {
  finalizeRound,
  freeze,
  requireFreeze,
  revealStep,
  roundKey,
  setDisplay,
  setEmbargo,
  setOnStage,
  setRoundState,
  unfreeze,
  type ControlState,
} from './control.ts';
import { applyDrawCommand, drawCommandNames } from './draws.ts';
import { qualifiersOf, setAppealDeadline, startNotice, takeQualifiers } from './officialOps.ts';
import { findEvent, findRound } from './policy.ts';
import { OVERALL } from './projection.ts';
import { revealPlan } from './views.ts';

/**
 * The venue whose stage a `stage.set` changes: the contestant's venue (none: the event-wide
 * stage); with nobody (`contestantId: null`) the venue named, or the event-wide stage. A venue
 * that is not the contestant's, or not in the set-up, is refused (`invalid_payload`).
 */
export function stageVenueOf(
  setup: Competition,
  payload: { eventId: string; contestantId: string | null; venueId?: string | undefined },
): string | undefined {
  const { eventId, contestantId, venueId } = payload;
  if (contestantId !== null) {
    const contestant = setup.contestants.find((c) => c.id === contestantId && c.eventId === eventId);
    const home = contestant?.venueId;
    if (venueId !== undefined && venueId !== home) {
      throw new PodiumError(
        'invalid_payload',
        `contestant ${contestantId} performs ${home === undefined ? 'at no venue' : `at venue ${home}`}, not at ${venueId}`,
      );
    }
    return home;
  }
  if (venueId !== undefined && !(setup.venues ?? []).some((v) => v.id === venueId)) {
    throw new PodiumError('invalid_payload', `unknown venue ${venueId}`);
  }
  return venueId;
}

export type ControlCommand = Extract<
  Command,
  {
    name:
      | 'round.state'
      | 'stage.set'
      | 'board.freeze'
      | 'board.reveal'
      | 'round.finalize'
      | 'event.embargo'
      | 'display.set'
      | 'appeal.deadline'
      | 'round.qualifiers'
      | 'draw.make'
      | 'draw.decode'
      | 'draw.confirm';
  }
>;

const CONTROL_NAMES = new Set([
  'round.state',
  'stage.set',
  'board.freeze',
  'board.reveal',
  'round.finalize',
  'event.embargo',
  'display.set',
  'appeal.deadline',
  'round.qualifiers',
  ...drawCommandNames,
]);

/** True for the commands that change only the control state. */
export function isControlCommand(command: Command): command is ControlCommand {
  return CONTROL_NAMES.has(command.name);
}

/** The boards a freeze of a round covers: the round's boards, and the overall ones when the round counts. */
export function frozenBoardIds(
  setup: Competition,
  eventId: string,
  roundId: string,
  boards: readonly string[],
): string[] {
  const round = findRound(findEvent(setup, eventId), roundId);
  return boards.filter((board) => {
    const ref = parseBoardKey(board);
    if (ref?.eventId !== eventId) return false;
    return ref.roundId === roundId || (ref.roundId === OVERALL && round.weight !== undefined);
  });
}

/** The board whose order the reveal ceremony follows: the round's individual ranking. */
export function ceremonyBoard(eventId: string, roundId: string): string {
  return boardKey({ eventId, roundId, scope: 'individual' });
}

/**
 * The control state after a control command, and the boards whose public view changed as a whole.
 * `boards` are the competition's current board ids with their live rows (needed to freeze).
 */
export function applyControlCommand(
  setup: Competition,
  control: ControlState,
  command: ControlCommand,
  boards: ReadonlyMap<string, RankedRow[]>,
): { control: ControlState; reset: string[] } {
  switch (command.name) {
    case 'round.state': {
      const { eventId, roundId, state } = command.payload;
      return { control: setRoundState(control, eventId, roundId, state), reset: [] };
    }
    case 'round.finalize': {
      const { eventId, roundId, noticeEndsAt } = command.payload;
      let next = finalizeRound(control, eventId, roundId);
      if (noticeEndsAt === undefined) return { control: next, reset: [] };
      next = startNotice(next, eventId, roundId, noticeEndsAt);
      const advance = findRound(findEvent(setup, eventId), roundId).advance;
      if (advance !== undefined) {
        const line = qualifiersOf(boards.get(ceremonyBoard(eventId, roundId)) ?? [], advance);
        next = takeQualifiers(next, eventId, roundId, line);
      }
      return { control: next, reset: [] };
    }
    case 'round.qualifiers': {
      const { eventId, roundId } = command.payload;
      const advance = findRound(findEvent(setup, eventId), roundId).advance;
      if (advance === undefined) {
        throw new PodiumError('invalid_payload', `round ${roundId} of ${eventId} has no qualification line`);
      }
      const line = qualifiersOf(boards.get(ceremonyBoard(eventId, roundId)) ?? [], advance);
      return { control: takeQualifiers(control, eventId, roundId, line), reset: [] };
    }
    case 'appeal.deadline': {
      const { eventId, closesAt } = command.payload;
      return { control: setAppealDeadline(control, eventId, closesAt), reset: [] };
    }
    case 'stage.set': {
      const { eventId, roundId, contestantId } = command.payload;
      const venueId = stageVenueOf(setup, command.payload);
      return { control: setOnStage(control, eventId, roundId, contestantId, venueId), reset: [] };
    }
    case 'board.freeze': {
      const { eventId, roundId, frozen } = command.payload;
      if (!frozen) {
        const lifted = Object.keys(control.freezes[roundKey(eventId, roundId)]?.frozenBoards ?? {});
        return { control: unfreeze(control, eventId, roundId), reset: lifted };
      }
      const ids = frozenBoardIds(setup, eventId, roundId, [...boards.keys()]);
      // The round's ranking is frozen even before its first mark, so the ceremony has a board.
      if (!ids.includes(ceremonyBoard(eventId, roundId))) ids.push(ceremonyBoard(eventId, roundId));
      const frozenBoards: Record<string, RankedRow[]> = {};
      for (const id of ids) frozenBoards[id] = boards.get(id) ?? [];
      return { control: freeze(control, eventId, roundId, frozenBoards), reset: ids };
    }
    case 'board.reveal': {
      const { eventId, roundId } = command.payload;
      const current = requireFreeze(control, eventId, roundId);
      const board = ceremonyBoard(eventId, roundId);
      const live = boards.get(board) ?? [];
      const plan = revealPlan(current, board, live);
      if (plan.next === null) {
        throw new PodiumError(
          'nothing_to_reveal',
          `every result of round ${roundId} of ${eventId} is revealed (${current.revealed} steps)`,
        );
      }
      const next = revealStep(control, eventId, roundId, plan.next);
      return {
        control: next,
        reset: Object.keys(next.freezes[roundKey(eventId, roundId)]?.frozenBoards ?? {}),
      };
    }
    case 'event.embargo': {
      const { eventId, embargoed } = command.payload;
      const reset = [...boards.keys()].filter((b) => parseBoardKey(b)?.eventId === eventId);
      return { control: setEmbargo(control, eventId, embargoed), reset };
    }
    case 'display.set': {
      const { displayId, settings } = command.payload;
      return { control: setDisplay(control, displayId, settings), reset: [] };
    }
    case 'draw.make':
    case 'draw.decode':
    case 'draw.confirm': {
      const next = applyDrawCommand(setup, control, command);
      // A decode shows the event's team and organisation boards again (visibility.ts): reset them.
      const reset =
        command.name === 'draw.confirm'
          ? [...boards.keys()].filter((b) => parseBoardKey(b)?.eventId === command.payload.eventId)
          : [];
      return { control: next, reset };
    }
  }
}
