/**
 * Drawn numbers (加密号/工位号) of an anonymised event, the pure parts (docs/RULES.md §13, "Anonymised judging"): the
 * server's draw from a random seed, an uploaded paper draw, the decode request of the organiser
 * (the encryption officer) and the chief judge's confirmation, and what "fully signed" means. Who
 * sees names is decided in visibility.ts; this file only keeps the state.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Command, CommandPayload } from '../../shared/commands.ts';
import type { Competition, ContestEvent, Sheet } from '../../shared/model.ts';
import { own } from '../../shared/records.ts';
import { roundState, type ControlState, type Draw } from './control.ts';
import { PodiumError } from './errors.ts';
import { findEvent } from './policy.ts';

export type DrawCommand = Extract<Command, { name: 'draw.make' | 'draw.decode' | 'draw.confirm' }>;
export const drawCommandNames = ['draw.make', 'draw.decode', 'draw.confirm'] as const;

/** The draw of an event, if one was made. */
export function drawOf(control: ControlState, eventId: string): Draw | undefined {
  return own(control.draws ?? {}, eventId);
}

/** A fresh seed for a server draw: 32 bytes from the operating system's CSPRNG, as hex. */
export function newDrawSeed(): string {
  return randomBytes(32).toString('hex');
}

/**
 * A `draw.make` as the server runs it: without uploaded numbers it gets a fresh seed, which the log
 * then keeps (so a replay draws the same numbers). A client may not choose the seed.
 */
export function withServerSeed(command: Command): Command {
  if (command.name !== 'draw.make') return command;
  if (command.payload.seed !== undefined) {
    throw new PodiumError('invalid_payload', 'seed: the server draws; send numbers to upload a draw instead');
  }
  if (command.payload.numbers !== undefined) return command;
  return { ...command, payload: { ...command.payload, seed: newDrawSeed() } };
}

/**
 * The numbers a seed draws: the contestants ordered by SHA-256(seed, id) get 1, 2, … n, zero-padded
 * to at least two digits (a random permutation as long as the seed is secret and random).
 */
export function drawFromSeed(seed: string, contestantIds: readonly string[]): Record<string, string> {
  const keyed = contestantIds.map((id) => ({
    id,
    key: createHash('sha256').update(seed).update('\0').update(id).digest('hex'),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));
  const width = Math.max(2, String(keyed.length).length);
  return Object.fromEntries(keyed.map((k, i) => [k.id, String(i + 1).padStart(width, '0')]));
}

function invalid(message: string): PodiumError {
  return new PodiumError('invalid_payload', message);
}

/** The anonymised event of a draw command, or invalid_payload. */
function anonymisedEvent(setup: Competition, eventId: string): ContestEvent {
  const event = findEvent(setup, eventId);
  if (event.anonymised !== true) throw invalid(`event ${eventId} is not anonymised: set "anonymised" first`);
  return event;
}

/** An uploaded draw must number every contestant of the event once, each with a different number. */
function checkUploaded(ids: readonly string[], numbers: Record<string, string>, eventId: string): void {
  const expected = new Set(ids);
  const given = Object.keys(numbers);
  const unknown = given.filter((id) => !expected.has(id));
  if (unknown.length > 0) throw invalid(`numbers: ${unknown.slice(0, 5).join(', ')} not in event ${eventId}`);
  const missing = ids.filter((id) => !Object.hasOwn(numbers, id));
  if (missing.length > 0) throw invalid(`numbers: no number for ${missing.slice(0, 5).join(', ')}`);
  const seen = new Map<string, string>();
  for (const id of given) {
    const n = numbers[id] ?? '';
    const other = seen.get(n.toUpperCase());
    if (other !== undefined) throw invalid(`numbers: ${other} and ${id} both drew ${n}`);
    seen.set(n.toUpperCase(), id);
  }
}

function withDraw(control: ControlState, eventId: string, draw: Draw): ControlState {
  return { ...control, draws: { ...(control.draws ?? {}), [eventId]: draw } };
}

/** Whether a contestant id gives the person away: it is their bib, or it holds their name. */
export function idTells(id: string, bib: string, name: string): boolean {
  const plain = (text: string) => text.trim().toLowerCase();
  return plain(id) === plain(bib) || (plain(name) !== '' && plain(id).includes(plain(name)));
}

/** The draw of `eventId` after `draw.make`: refused once decoded, and (re-drawn) once judging started. */
function makeDraw(
  setup: Competition,
  control: ControlState,
  payload: CommandPayload<'draw.make'>,
): ControlState {
  const { eventId, numbers, seed } = payload;
  const event = anonymisedEvent(setup, eventId);
  const before = drawOf(control, eventId);
  if (before?.decoded === true) throw invalid(`event ${eventId} is decoded: its draw is closed`);
  if (before !== undefined && event.rounds.some((r) => roundState(control, eventId, r.id) !== 'pending'))
    throw invalid(`the draw of ${eventId} is fixed: judging has started`);
  const people = setup.contestants.filter((c) => c.eventId === eventId);
  const ids = people.map((c) => c.id);
  // Pages and data address contestants by id: an id that is the bib or holds the name would link
  // the number to the person before the decode.
  const telling = people.filter((c) => idTells(c.id, c.bib, c.name));
  if (telling.length > 0)
    throw invalid(
      `contestant ids of an anonymised event must say nothing about the person: ${telling
        .slice(0, 3)
        .map((c) => c.id)
        .join(', ')}${telling.length > 3 ? ` and ${telling.length - 3} more` : ''} ` +
        'equal their bib or contain their name; give them other ids (e.g. a 选手ID column in the CSV import)',
    );
  if ((numbers === undefined) === (seed === undefined))
    throw invalid('give either numbers (an uploaded draw) or nothing (the server draws)');
  if (numbers !== undefined) checkUploaded(ids, numbers, eventId);
  const drawn = numbers ?? drawFromSeed(seed ?? '', ids);
  return withDraw(control, eventId, { numbers: { ...drawn } });
}

/** The control state after a draw command (the sign-off is checked by the planner, drawPlanner.ts). */
export function applyDrawCommand(
  setup: Competition,
  control: ControlState,
  command: DrawCommand,
): ControlState {
  const { eventId } = command.payload;
  if (command.name === 'draw.make') return makeDraw(setup, control, command.payload);
  anonymisedEvent(setup, eventId);
  const draw = drawOf(control, eventId);
  if (draw === undefined) throw invalid(`event ${eventId} has no draw: there is nothing to decode`);
  if (draw.decoded === true) throw invalid(`event ${eventId} is already decoded`);
  if (command.name === 'draw.decode') return withDraw(control, eventId, { ...draw, decodeRequested: true });
  if (draw.decodeRequested !== true)
    throw invalid(`no decode of ${eventId} was asked for: the organiser sends draw.decode first`);
  return withDraw(control, eventId, { numbers: draw.numbers, decodeRequested: true, decoded: true });
}

/** A round's sheet as the planner read it: null when it was never written. */
export interface RoundSheet {
  roundId: string;
  contestantId: string;
  sheet: Sheet | null;
}

/**
 * Throws `not_signed` unless every round of the event that was opened is closed (or finalized) and
 * every result written in it is signed by the chief judge — the condition of a decode.
 */
export function requireSignedOff(
  event: ContestEvent,
  control: ControlState,
  sheets: readonly RoundSheet[],
): void {
  const judged = event.rounds.filter((r) => roundState(control, event.id, r.id) !== 'pending');
  if (judged.length === 0)
    throw new PodiumError('not_signed', `no round of ${event.id} has been judged: nothing is signed yet`);
  const open = judged.find((r) => roundState(control, event.id, r.id) === 'open');
  if (open !== undefined)
    throw new PodiumError(
      'not_signed',
      `round ${open.id} of ${event.id} is still open: close it and sign every result`,
    );
  const unsigned = sheets.filter((s) => s.sheet !== null && s.sheet.signed === undefined);
  if (unsigned.length > 0) {
    const first = unsigned[0];
    throw new PodiumError(
      'not_signed',
      `${unsigned.length} result(s) of ${event.id} are not signed by the chief judge yet (first: ${first?.contestantId} in ${first?.roundId})`,
    );
  }
  if (!sheets.some((s) => s.sheet !== null))
    throw new PodiumError('not_signed', `no result of ${event.id} has been written: nothing is signed yet`);
}

/** The rounds whose sheets a decode must read: every round of the event that was opened. */
export function judgedRounds(event: ContestEvent, control: ControlState): string[] {
  return event.rounds.filter((r) => roundState(control, event.id, r.id) !== 'pending').map((r) => r.id);
}
