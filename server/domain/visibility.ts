/**
 * Who may see what: the one place that decides it. Blind judging (a judge sees the others' marks
 * only once everyone assigned has marked), what the public sees of a board or a stage while an
 * event is embargoed or a round frozen, and which reads are for organisers or assigned judges.
 */
import { parseBoardKey } from '../../shared/boards.ts';
import type { PublicControl, StageState } from '../../shared/events.ts';
import type { Competition, ContestEvent } from '../../shared/model.ts';
import type { Actor } from './actor.ts';
import { freezeOf, roundKey, toPublicControl, type ControlState, type Freeze } from './control.ts';
import { PodiumError } from './errors.ts';

/**
 * Whether judges' marks and totals on a sheet may be shown beside each other's: always when the
 * event is not blind, else once every assigned judge has marked (so nobody is swayed by a score).
 */
export function marksVisible(event: ContestEvent, assignedJudges: number, markedBy: number): boolean {
  return !event.scoring.blind || (assignedJudges > 0 && markedBy === assignedJudges);
}

/** How the public may see a board: not at all (embargo), as frozen (with the revealed part), or live. */
export type PublicBoardView = { kind: 'withheld' } | { kind: 'frozen'; freeze: Freeze } | { kind: 'live' };

export function publicBoardView(control: ControlState, board: string): PublicBoardView {
  const eventId = parseBoardKey(board)?.eventId;
  if (eventId !== undefined && control.embargoed.includes(eventId)) return { kind: 'withheld' };
  const freeze = freezeOf(control, board);
  return freeze === undefined ? { kind: 'live' } : { kind: 'frozen', freeze };
}

/** False when the public must not see a board's live rows (its event is embargoed or the board frozen). */
export function publiclyLive(control: ControlState, board: string): boolean {
  return publicBoardView(control, board).kind === 'live';
}

/** What the public may see of a competition right now. */
export interface PublicView {
  control: PublicControl;
  /** False while the board's event is embargoed or the board is frozen. */
  live(board: string): boolean;
}

export function publicView(
  competitionId: string,
  control: ControlState,
  setup: Competition | null,
): PublicView {
  return {
    control: toPublicControl(competitionId, control, setup),
    live: (board) => publiclyLive(control, board),
  };
}

/**
 * A stage as the public sees it: no totals for an embargoed event, nor for a frozen round (the
 * stage would otherwise give away a result the reveal ceremony has not shown yet).
 */
export function publicStage(stage: StageState, control: PublicControl): StageState {
  const hidden =
    control.embargoed.includes(stage.eventId) ||
    control.frozen[roundKey(stage.eventId, stage.roundId)] !== undefined;
  if (!hidden) return stage;
  return { ...stage, total: null, judges: stage.judges.map((j) => ({ ...j, total: null })) };
}

/** Throws 'forbidden' unless `actor` is an organiser. */
export function requireOrganiser(actor: Actor, message = 'organisers only'): void {
  if (actor.kind !== 'organiser') throw new PodiumError('forbidden', message);
}

/** The actor as a judge, or 'forbidden' for anyone else. */
export function requireJudge(actor: Actor, message = 'judges only'): Extract<Actor, { kind: 'judge' }> {
  if (actor.kind !== 'judge') throw new PodiumError('forbidden', message);
  return actor;
}

/** Throws 'forbidden' unless the judge is assigned to the event. */
export function requireAssigned(setup: Competition, judgeId: string, eventId: string): void {
  if (!setup.judges.some((j) => j.id === judgeId && j.eventIds.includes(eventId))) {
    throw new PodiumError('forbidden', `judge ${judgeId} is not assigned to event ${eventId}`);
  }
}
