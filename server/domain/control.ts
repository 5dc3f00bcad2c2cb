/**
 * The competition's live control state (round states, who is on stage, freezes, embargoes) and
 * its pure transitions. The store keeps it as one JSON document; the log replays it exactly.
 */
import type { RankedRow } from '../../shared/boards.ts';
import type { PublicControl } from '../../shared/events.ts';
import { MAX_DISPLAYS, type DisplaySettings } from '../../shared/displays.ts';
import type { Competition } from '../../shared/model.ts';
import { PodiumError } from './errors.ts';
import { own } from '../../shared/records.ts';
import { stageId } from '../../shared/stages.ts';

export type RoundState = 'pending' | 'open' | 'closed' | 'finalized';

/** A frozen public view of a round: board → rows at the freeze moment, and who is revealed. */
export interface Freeze {
  frozenBoards: Record<string, RankedRow[]>;
  /** How many reveal steps were taken (= revealedIds.length). */
  revealed: number;
  /** Contestants whose live rows the public sees, in the order they were revealed. */
  revealedIds?: string[];
}

export interface OnStage {
  roundId: string;
  contestantId: string | null;
  /**
   * Venue stages only: the order of the changes of an event's venue stages (1 + the highest of the
   * event), so the event-wide screen can follow the most recent one; deterministic on replay.
   */
  seq?: number;
}

/** The public notice (成绩公示) of a finalized round; see officialOps.ts. */
export interface Notice {
  /** Results are final from this time on (ms since the epoch). */
  endsAt: number;
}

/** The recorded qualification line of a qualifying round (`round.advance`). */
export interface Qualification {
  /** Who is above the line as last taken. */
  qualifiers: string[];
  /** Each retake that changed it: who dropped out, who moved up (递补). */
  moves: Array<{ removed: string[]; promoted: string[] }>;
}

/** The draw of an anonymised event (draws.ts): drawn numbers, and how far the decode is. */
export interface Draw {
  /** contestant id → drawn number. */
  numbers: Record<string, string>;
  /** An organiser asked to decode (draw.decode); the chief judge's draw.confirm is awaited. */
  decodeRequested?: true;
  /** Names are linked to numbers again. */
  decoded?: true;
}

/** A type alias (not an interface) so it is assignable to the store's `Control` record. */
export type ControlState = {
  /** `eventId|roundId` → state; a missing round is 'pending'. */
  rounds: Record<string, RoundState>;
  /**
   * Who performs now. Key `eventId`: the event-wide stage (contestants without a venue; the only
   * key before venues, so stored documents and old logs read unchanged); key `eventId@venueId`
   * (stageKey): that venue's stage, several at once.
   */
  stage: Record<string, OnStage>;
  /** `eventId|roundId` → freeze. */
  freezes: Record<string, Freeze>;
  embargoed: string[];
  /** Named big screens → their settings (`display.set`). */
  displays: Record<string, DisplaySettings>;
  /** `eventId|roundId` → notice period started by finalize (absent in documents written before it). */
  notices?: Record<string, Notice> | undefined;
  /** eventId → time after which appeals are refused. */
  appealDeadlines?: Record<string, number> | undefined;
  /** `eventId|roundId` → the recorded qualification line. */
  qualification?: Record<string, Qualification> | undefined;
  /** eventId → the draw of an anonymised event (draws.ts; absent in documents written before it). */
  draws?: Record<string, Draw> | undefined;
};

/** The key of a round in control maps. */
export function roundKey(eventId: string, roundId: string): string {
  return `${eventId}|${roundId}`;
}

/** The key of a stage in `ControlState.stage`: the event's id, or `eventId@venueId` for a venue's. */
export function stageKey(eventId: string, venueId?: string): string {
  return stageId({ eventId, venueId });
}

/** One stage of an event: the venue it is at (none: event-wide) and who is on it. */
export interface VenueStage {
  venueId?: string;
  onStage: OnStage;
}

/** Every stage of an event present in the control state: the event-wide one first, then by venue id. */
export function stagesOfEvent(control: ControlState, eventId: string): VenueStage[] {
  const out: VenueStage[] = [];
  const plain = own(control.stage, eventId);
  if (plain !== undefined) out.push({ onStage: plain });
  const prefix = `${eventId}@`;
  for (const key of Object.keys(control.stage).sort()) {
    if (!key.startsWith(prefix)) continue;
    const onStage = own(control.stage, key);
    if (onStage !== undefined) out.push({ venueId: key.slice(prefix.length), onStage });
  }
  return out;
}

/**
 * Whether a contestant is on stage in a round: on the stage of their venue, or on the event-wide
 * stage (where stage documents written before venues put everyone). `at` (a judge's venue) limits
 * it to that venue's stage and the event-wide one.
 */
export function isOnStage(
  control: ControlState,
  key: { eventId: string; roundId: string; contestantId: string },
  contestantVenueId: string | undefined,
  at?: string,
): boolean {
  const on = (k: string) => {
    const s = own(control.stage, k);
    return s?.roundId === key.roundId && s.contestantId === key.contestantId;
  };
  if (on(key.eventId)) return true;
  if (contestantVenueId === undefined) return false;
  if (at !== undefined && at !== contestantVenueId) return false;
  return on(stageKey(key.eventId, contestantVenueId));
}

/** A fresh control state: every round pending, nothing frozen. */
export function initialControl(): ControlState {
  return { rounds: {}, stage: {}, freezes: {}, embargoed: [], displays: {} };
}

/** Read a stored control document (an empty record when never written) into a ControlState. */
export function parseControl(raw: Record<string, unknown>): ControlState {
  const base = initialControl();
  const control: ControlState = {
    rounds: (raw.rounds as ControlState['rounds'] | undefined) ?? base.rounds,
    stage: (raw.stage as ControlState['stage'] | undefined) ?? base.stage,
    freezes: (raw.freezes as ControlState['freezes'] | undefined) ?? base.freezes,
    embargoed: (raw.embargoed as string[] | undefined) ?? base.embargoed,
    displays: (raw.displays as ControlState['displays'] | undefined) ?? base.displays,
  };
  if (raw.notices !== undefined) control.notices = raw.notices as ControlState['notices'];
  if (raw.appealDeadlines !== undefined)
    control.appealDeadlines = raw.appealDeadlines as ControlState['appealDeadlines'];
  if (raw.qualification !== undefined)
    control.qualification = raw.qualification as ControlState['qualification'];
  if (raw.draws !== undefined) control.draws = raw.draws as ControlState['draws'];
  return control;
}

/** The state of one round. */
export function roundState(control: ControlState, eventId: string, roundId: string): RoundState {
  return own(control.rounds, roundKey(eventId, roundId)) ?? 'pending';
}

function assertNotFinalized(control: ControlState, eventId: string, roundId: string): void {
  if (roundState(control, eventId, roundId) === 'finalized') {
    throw new PodiumError('finalized', `round ${roundId} of event ${eventId} is finalized`);
  }
}

/** Open, close or reset a round; a finalized round never changes again. */
export function setRoundState(
  control: ControlState,
  eventId: string,
  roundId: string,
  state: 'pending' | 'open' | 'closed',
): ControlState {
  assertNotFinalized(control, eventId, roundId);
  return { ...control, rounds: { ...control.rounds, [roundKey(eventId, roundId)]: state } };
}

/** Finalize a round for good: its sheets can no longer be written. */
export function finalizeRound(control: ControlState, eventId: string, roundId: string): ControlState {
  assertNotFinalized(control, eventId, roundId);
  // The round's stages at every venue (and the event-wide one) are cleared.
  const stage = { ...control.stage };
  for (const { venueId, onStage } of stagesOfEvent(control, eventId)) {
    if (onStage.roundId === roundId) delete stage[stageKey(eventId, venueId)];
  }
  return { ...control, stage, rounds: { ...control.rounds, [roundKey(eventId, roundId)]: 'finalized' } };
}

/**
 * Put a contestant on an event's stage (null: nobody) — the event-wide stage, or with `venueId`
 * that venue's (stageKey); other venues' stages stay as they are.
 */
export function setOnStage(
  control: ControlState,
  eventId: string,
  roundId: string,
  contestantId: string | null,
  venueId?: string,
): ControlState {
  assertNotFinalized(control, eventId, roundId);
  const next: OnStage = { roundId, contestantId };
  if (venueId !== undefined) {
    const seqs = stagesOfEvent(control, eventId).map((s) => s.onStage.seq ?? 0);
    next.seq = Math.max(0, ...seqs) + 1;
  }
  return { ...control, stage: { ...control.stage, [stageKey(eventId, venueId)]: next } };
}

/** Freeze a round's public boards at these rows (freezing again takes a new snapshot). */
export function freeze(
  control: ControlState,
  eventId: string,
  roundId: string,
  frozenBoards: Record<string, RankedRow[]>,
): ControlState {
  return {
    ...control,
    freezes: {
      ...control.freezes,
      [roundKey(eventId, roundId)]: { frozenBoards, revealed: 0, revealedIds: [] },
    },
  };
}

/** Lift a freeze: the public sees the live boards again. */
export function unfreeze(control: ControlState, eventId: string, roundId: string): ControlState {
  const freezes = { ...control.freezes };
  delete freezes[roundKey(eventId, roundId)];
  return { ...control, freezes };
}

/** The freeze of a round; `not_found` when the round is not frozen. */
export function requireFreeze(control: ControlState, eventId: string, roundId: string): Freeze {
  const current = own(control.freezes, roundKey(eventId, roundId));
  if (current === undefined)
    throw new PodiumError('not_found', `round ${roundId} of ${eventId} is not frozen`);
  return current;
}

/**
 * One reveal step: `contestantId` (chosen by `views.revealPlan`, the lowest pending row) shows its
 * live rows from now on.
 */
export function revealStep(
  control: ControlState,
  eventId: string,
  roundId: string,
  contestantId: string,
): ControlState {
  const current = requireFreeze(control, eventId, roundId);
  const revealedIds = [...(current.revealedIds ?? []), contestantId];
  const next: Freeze = { ...current, revealed: revealedIds.length, revealedIds };
  return { ...control, freezes: { ...control.freezes, [roundKey(eventId, roundId)]: next } };
}

/** Hide (or show again) an event's results from the public. */
export function setEmbargo(control: ControlState, eventId: string, embargoed: boolean): ControlState {
  const others = control.embargoed.filter((id) => id !== eventId);
  return { ...control, embargoed: embargoed ? [...others, eventId].sort() : others };
}

/** Set (or, with null, forget) the settings of a named big screen. */
export function setDisplay(
  control: ControlState,
  displayId: string,
  settings: DisplaySettings | null,
): ControlState {
  const displays = { ...control.displays };
  if (settings === null) {
    delete displays[displayId];
    return { ...control, displays };
  }
  if (!Object.hasOwn(displays, displayId) && Object.keys(displays).length >= MAX_DISPLAYS) {
    throw new PodiumError('invalid_payload', `at most ${MAX_DISPLAYS} named displays per competition`);
  }
  displays[displayId] = settings;
  return { ...control, displays };
}

/** The freeze that covers a board, if any. */
export function freezeOf(control: ControlState, board: string): Freeze | undefined {
  return Object.values(control.freezes).find((f) => Object.hasOwn(f.frozenBoards, board));
}

/** What screens must follow: every round's state (pending when never set), freezes, embargoes. */
export function toPublicControl(
  competitionId: string,
  control: ControlState,
  setup: Competition | null,
): PublicControl {
  const rounds: PublicControl['rounds'] = {};
  for (const event of setup?.events ?? []) {
    for (const round of event.rounds) rounds[roundKey(event.id, round.id)] = 'pending';
  }
  Object.assign(rounds, control.rounds);
  const frozen: PublicControl['frozen'] = {};
  for (const [key, f] of Object.entries(control.freezes)) frozen[key] = { revealed: f.revealed };
  const view: PublicControl = {
    competitionId,
    rounds,
    frozen,
    embargoed: [...control.embargoed],
    displays: { ...control.displays },
  };
  if (control.notices !== undefined) view.notices = structuredClone(control.notices);
  if (control.appealDeadlines !== undefined) view.appealDeadlines = { ...control.appealDeadlines };
  if (control.qualification !== undefined) view.qualification = structuredClone(control.qualification);
  if (control.draws !== undefined) {
    view.draws = Object.fromEntries(
      Object.entries(control.draws).map(([eventId, d]) => [
        eventId,
        {
          numbers: { ...d.numbers },
          decodeRequested: d.decodeRequested === true,
          decoded: d.decoded === true,
        },
      ]),
    );
  }
  return view;
}
