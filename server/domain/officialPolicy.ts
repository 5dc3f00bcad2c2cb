/**
 * Who may sign, appeal and decide, and what a finalized round in its notice period still takes
 * (docs/RULES.md, "Official results"). Called by policy.ts; pure like it (the time comes in `now`).
 */
import type { Command } from '../../shared/commands.ts';
import type { ContestEvent, Sheet } from '../../shared/model.ts';
import { own } from '../../shared/records.ts';
import type { Actor } from './actor.ts';
import type { ControlState, RoundState } from './control.ts';
import { PodiumError } from './errors.ts';
import { isFinal, noticeOf, requireAppeal } from './officialOps.ts';

/** Sheet commands a signed sheet still takes without an appeal. */
const ON_SIGNED = new Set(['sheet.sign', 'appeal.file', 'appeal.decide', 'sheet.lock']);

/** The appeal a correction is carried out under, if it names one. */
function appealIdOf(command: Command): string | undefined {
  if (command.name === 'appeal.file' || command.name === 'appeal.decide') return undefined;
  return 'appealId' in command.payload ? command.payload.appealId : undefined;
}

/**
 * True when a command may still run on a finalized round: retaking its qualification line, and
 * while (or, for appeals filed in time, after) its notice runs: appeals, decisions and the
 * corrections they order. A round finalized without a notice takes nothing (it is final at once).
 */
export function allowedAfterFinalize(command: Command, control: ControlState): boolean {
  if (command.name === 'round.qualifiers') return true;
  if (!('roundId' in command.payload)) return false;
  if (noticeOf(control, command.payload.eventId, command.payload.roundId) === undefined) return false;
  return (
    command.name === 'appeal.file' || command.name === 'appeal.decide' || appealIdOf(command) !== undefined
  );
}

/** Throws unless the official-results rules let `actor` run `command` now. */
export function authorizeOfficial(
  actor: Actor,
  command: Command,
  ctx: { control: ControlState; sheet?: Sheet | undefined; now: number },
  event: ContestEvent,
  state: RoundState,
): void {
  const forbidden = (message: string) => new PodiumError('forbidden', message);
  if (command.name === 'round.finalize') {
    const { noticeEndsAt } = command.payload;
    if (noticeEndsAt !== undefined && noticeEndsAt <= ctx.now)
      throw new PodiumError('invalid_payload', 'noticeEndsAt must lie in the future');
    return;
  }
  if (command.name === 'round.qualifiers') {
    const round = event.rounds.find((r) => r.id === command.payload.roundId);
    if (round?.advance === undefined)
      throw new PodiumError('invalid_payload', `round ${command.payload.roundId} has no qualification line`);
    return;
  }
  if (!('contestantId' in command.payload)) return;
  const { eventId, roundId } = command.payload;
  if (command.name === 'sheet.sign' && actor.kind !== 'judge')
    throw forbidden('only the chief judge signs results');
  if (command.name === 'appeal.decide' && actor.kind !== 'organiser')
    throw forbidden('appeals are decided by the organiser (arbitration)');
  if (command.name === 'appeal.file' && actor.kind !== 'organiser' && actor.kind !== 'leader')
    throw forbidden("appeals are filed by the organiser or the contestant's team leader");
  if (command.name === 'appeal.file') {
    // A leader appeals a result: a round never opened has none yet (the organiser may still record one).
    if (actor.kind === 'leader' && state === 'pending')
      throw new PodiumError(
        'round_not_open',
        `round ${roundId} of ${eventId} has not started: no result to appeal`,
      );
    const closesAt = own(ctx.control.appealDeadlines ?? {}, eventId);
    if (closesAt !== undefined && ctx.now > closesAt)
      throw new PodiumError(
        'appeal_closed',
        `appeals for ${eventId} closed at ${new Date(closesAt).toISOString()}`,
      );
    if (state === 'finalized' && isFinal(ctx.control, eventId, roundId, ctx.now))
      throw new PodiumError(
        'appeal_closed',
        `the notice period of round ${roundId} is over: results are final`,
      );
  }
  const appealId = appealIdOf(command);
  if (appealId !== undefined) {
    if (actor.kind === 'integration') throw forbidden('an integration key cannot carry out an appeal');
    const appeal = requireAppeal(
      ctx.sheet ?? { marks: {}, measured: {}, deductions: [], outcome: 'ok', locked: false },
      appealId,
    );
    if (appeal.status !== 'upheld') throw forbidden(`appeal ${appealId} is ${appeal.status}, not upheld`);
    return;
  }
  if (ctx.sheet?.signed !== undefined && !ON_SIGNED.has(command.name)) {
    throw new PodiumError(
      'sheet_signed',
      'the chief judge signed this result: withdraw the signature (with a reason) or correct it under an appeal',
    );
  }
}
