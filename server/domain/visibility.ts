/**
 * Who may see what: the one place that decides it. Blind judging (a judge sees the others' marks
 * only once everyone assigned has marked), what the public sees of a board or a stage while an
 * event is embargoed or a round frozen, who is shown by drawn number only (an anonymised event
 * before its decode), and which reads are for organisers or assigned judges.
 */
import { parseBoardKey } from '../../shared/boards.ts';
import type { PublicContestant, PublicControl, StageState } from '../../shared/events.ts';
import type { Competition, Contestant, ContestEvent } from '../../shared/model.ts';
import { own } from '../../shared/records.ts';
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

export function publicBoardView(
  control: ControlState,
  board: string,
  setup: Competition | null = null,
): PublicBoardView {
  const eventId = parseBoardKey(board)?.eventId;
  if (eventId !== undefined && control.embargoed.includes(eventId)) return { kind: 'withheld' };
  // Team and organisation standings of an anonymised event would name who scored: not before decoding.
  if (setup !== null && standingHidden(setup, board, control.draws)) return { kind: 'withheld' };
  const freeze = freezeOf(control, board);
  return freeze === undefined ? { kind: 'live' } : { kind: 'frozen', freeze };
}

/** False when the public must not see a board's live rows (its event is embargoed or the board frozen). */
export function publiclyLive(
  control: ControlState,
  board: string,
  setup: Competition | null = null,
): boolean {
  return publicBoardView(control, board, setup).kind === 'live';
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
    live: (board) => publiclyLive(control, board, setup),
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

/** The draws as the control state or its public view holds them: only `decoded` matters here. */
export type Draws =
  Record<string, { numbers: Record<string, string>; decoded?: boolean | undefined }> | undefined;

/**
 * True while an event's contestants may be shown only by drawn number: the event is anonymised and
 * its draw has not been decoded (no draw yet counts as not decoded).
 */
export function namesHidden(event: ContestEvent, draws: Draws): boolean {
  return event.anonymised === true && own(draws ?? {}, event.id)?.decoded !== true;
}

/** A contestant as shown while names are hidden: the drawn number ('' before the draw), nothing else that identifies. */
function byNumber(c: Contestant, draw: string): PublicContestant {
  const shown: PublicContestant = {
    id: c.id,
    eventId: c.eventId,
    bib: draw,
    name: '',
    organisation: '',
    region: '',
    draw,
  };
  if (c.category !== undefined) shown.category = c.category;
  if (c.venueId !== undefined) shown.venueId = c.venueId;
  return shown;
}

/**
 * The set-up as every read outside the organiser's own set-up editor presents it (pages, judges'
 * tablets, results JSON and CSV, feeds, print pages, certificates, insight): contestants of an
 * anonymised event before its decode replaced by their drawn numbers, and teams whose members are
 * all such contestants left out (a team's name says where its members come from).
 */
export function presentedSetup<T extends Pick<Competition, 'events' | 'contestants' | 'teams'>>(
  setup: T,
  draws: Draws,
): Omit<T, 'contestants'> & { contestants: PublicContestant[] } {
  const hidden = new Set(setup.events.filter((e) => namesHidden(e, draws)).map((e) => e.id));
  if (hidden.size === 0) return setup;
  const hiddenTeams = new Set(
    setup.contestants.flatMap((c) => (hidden.has(c.eventId) && c.teamId !== undefined ? [c.teamId] : [])),
  );
  for (const c of setup.contestants) {
    if (!hidden.has(c.eventId) && c.teamId !== undefined) hiddenTeams.delete(c.teamId);
  }
  return {
    ...setup,
    teams: setup.teams.filter((t) => !hiddenTeams.has(t.id)),
    contestants: setup.contestants.map((c) =>
      hidden.has(c.eventId) ? byNumber(c, own(own(draws ?? {}, c.eventId)?.numbers ?? {}, c.id) ?? '') : c,
    ),
  };
}

/**
 * True when a board's rows may not be shown to anyone outside the set-up editor yet: the team and
 * organisation standings of an anonymised event before its decode (their names say who scored).
 */
export function standingHidden(setup: Pick<Competition, 'events'>, board: string, draws: Draws): boolean {
  const ref = parseBoardKey(board);
  const event = setup.events.find((e) => e.id === ref?.eventId);
  return ref !== null && ref.scope !== 'individual' && event !== undefined && namesHidden(event, draws);
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
