/**
 * Who may do what. `authorize` throws a PodiumError (forbidden, not_found, round_not_open,
 * sheet_locked, finalized) or returns what the command targets. It reads only the setup, the
 * control state and the target sheet, so it is pure and runs again on every retry.
 */
import type { Command } from '../../shared/commands.ts';
import type { Competition, Contestant, ContestEvent, Judge, Round, Sheet } from '../../shared/model.ts';
import type { Actor } from './actor.ts';
import { roundState, type ControlState } from './control.ts';
import { PodiumError } from './errors.ts';
import { allowedAfterFinalize, authorizeOfficial } from './officialPolicy.ts';
import { isSheetCommand } from './sheetOps.ts';
import { roleMaySend } from '../../shared/commandRegistry.ts';
import { checkVenues } from './venues.ts';
import { own } from '../../shared/records.ts';

export interface PolicyContext {
  setup: Competition | null;
  control: ControlState;
  /** The target sheet, for sheet commands. */
  sheet?: Sheet;
  /** Milliseconds since the epoch (appeal deadlines, notice periods); Date.now() when absent. */
  now?: number;
}

/** The competition a command is about. */
export function commandCompetitionId(command: Command): string {
  return command.name === 'setup.put' ? command.payload.competition.id : command.payload.competitionId;
}

/** The event of a command that targets one (every command except setup.put). */
export function findEvent(setup: Competition, eventId: string): ContestEvent {
  const event = setup.events.find((e) => e.id === eventId);
  if (event === undefined) throw new PodiumError('not_found', `event ${eventId} does not exist`);
  return event;
}

/** The round of an event, or not_found. */
export function findRound(event: ContestEvent, roundId: string): Round {
  const round = event.rounds.find((r) => r.id === roundId);
  if (round === undefined)
    throw new PodiumError('not_found', `round ${roundId} does not exist in ${event.id}`);
  return round;
}

/** A contestant of an event, or not_found. */
export function findContestant(setup: Competition, eventId: string, contestantId: string): Contestant {
  const contestant = setup.contestants.find((c) => c.id === contestantId && c.eventId === eventId);
  if (contestant === undefined) {
    throw new PodiumError('not_found', `contestant ${contestantId} does not exist in event ${eventId}`);
  }
  return contestant;
}

/** Ids of the judges (chief included) assigned to an event. */
export function assignedJudgeIds(setup: Competition, eventId: string): string[] {
  return setup.judges.filter((j) => j.eventIds.includes(eventId)).map((j) => j.id);
}

function forbidden(message: string): PodiumError {
  return new PodiumError('forbidden', message);
}

/** Throws unless `actor` may run `command` now; never changes anything. */
export function authorize(actor: Actor, command: Command, ctx: PolicyContext): void {
  const competitionId = commandCompetitionId(command);
  if (actor.kind === 'public') throw forbidden('the public cannot write');
  if (actor.kind !== 'organiser' && actor.competitionId !== competitionId) {
    throw forbidden(`not allowed in competition ${competitionId}`);
  }
  if (actor.kind === 'leader' && !roleMaySend('leader', command.name)) {
    throw forbidden(`a team leader can only file appeals, not send ${command.name}`);
  }
  if (command.name === 'setup.put') {
    if (actor.kind !== 'organiser') throw forbidden('only organisers change the set-up');
    checkVenues(command.payload.competition);
    keepsAnonymity(ctx.setup, ctx.control, command.payload.competition);
    return;
  }
  const { setup } = ctx;
  if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);

  const judge = actor.kind === 'judge' ? authorizeJudgeIdentity(actor.judgeId, setup, command) : null;
  if (actor.kind === 'integration' && !roleMaySend('integration', command.name)) {
    throw forbidden(`an integration key cannot send ${command.name}`);
  }
  if (actor.kind === 'organiser' && !roleMaySend('organiser', command.name)) {
    throw forbidden(
      command.name === 'marks.submit'
        ? 'only judges submit marks; organisers use mark.correct'
        : `organisers cannot send ${command.name}`,
    );
  }

  // A named display belongs to the competition, not to an event.
  if (command.name === 'display.set') return;
  const event = findEvent(setup, command.payload.eventId);
  if (
    command.name === 'event.embargo' ||
    command.name === 'appeal.deadline' ||
    command.name === 'draw.make' ||
    command.name === 'draw.decode' ||
    command.name === 'draw.confirm'
  )
    return;
  findRound(event, command.payload.roundId);
  const state = roundState(ctx.control, event.id, command.payload.roundId);
  const ceremony = command.name === 'board.freeze' || command.name === 'board.reveal';
  if (state === 'finalized' && !ceremony && !allowedAfterFinalize(command, ctx.control)) {
    throw new PodiumError('finalized', `round ${command.payload.roundId} of ${event.id} is finalized`);
  }
  if (command.name === 'round.finalize' && state === 'pending') {
    throw new PodiumError(
      'round_not_open',
      `round ${command.payload.roundId} of ${event.id} has never been opened: there is nothing to finalize`,
    );
  }
  if (command.name === 'stage.set' && command.payload.contestantId !== null) {
    findContestant(setup, event.id, command.payload.contestantId);
  }
  const official = { control: ctx.control, sheet: ctx.sheet, now: ctx.now ?? Date.now() };
  if (!isSheetCommand(command)) {
    authorizeOfficial(actor, command, official, event, state);
    return;
  }
  const contestant = findContestant(setup, event.id, command.payload.contestantId);
  if (actor.kind === 'leader' && contestant.teamId !== actor.teamId) {
    throw forbidden(`contestant ${contestant.id} is not of team ${actor.teamId}`);
  }
  if (judge?.venueId !== undefined && contestant.venueId !== judge.venueId) {
    throw forbidden(
      `judge ${judge.id} scores at venue ${judge.venueId}, not where ${contestant.id} performs`,
    );
  }
  authorizeOfficial(actor, command, official, event, state);

  if (judge !== null && command.name === 'marks.submit') {
    if (state !== 'open')
      throw new PodiumError('round_not_open', `round ${command.payload.roundId} is ${state}`);
    if (ctx.sheet?.locked === true)
      throw new PodiumError('sheet_locked', 'this sheet is locked by the chief judge');
  }
}

/** A judge exists in the set-up, is assigned to the command's event, and has the role it needs. */
function authorizeJudgeIdentity(judgeId: string, setup: Competition, command: Command): Judge {
  const judge = setup.judges.find((j) => j.id === judgeId);
  if (judge === undefined) throw forbidden(`judge ${judgeId} is not part of this competition`);
  // The one control command a judge sends: the chief judge confirming a decode (draws.ts).
  if (!isSheetCommand(command) && command.name !== 'draw.confirm')
    throw forbidden(`judges cannot send ${command.name}`);
  if (!judge.eventIds.includes(command.payload.eventId)) {
    throw forbidden(`judge ${judgeId} is not assigned to event ${command.payload.eventId}`);
  }
  if (!roleMaySend(judge.role, command.name)) {
    throw forbidden(`only the chief judge may send ${command.name}`);
  }
  return judge;
}

/**
 * A set-up change must not undo an anonymised event before its decode: turning `anonymised` off
 * (or dropping the event) would show the names without the chief judge's confirmation.
 */
function keepsAnonymity(before: Competition | null, control: ControlState, after: Competition): void {
  for (const event of before?.events ?? []) {
    if (event.anonymised !== true) continue;
    const draw = own(control.draws ?? {}, event.id);
    if (draw?.decoded === true) continue;
    // Before the draw and before judging, the setting may still change; after either, only a decode shows names.
    if (draw === undefined && event.rounds.every((r) => roundState(control, event.id, r.id) === 'pending'))
      continue;
    const next = after.events.find((e) => e.id === event.id);
    if (next?.anonymised !== true)
      throw forbidden(
        `event ${event.id} is anonymised and drawn or judged: decode it (draw.decode, confirmed by the chief judge) instead`,
      );
  }
}
