/**
 * Official results (docs/RULES.md, "Official results"), the pure parts: who counts as a marking
 * judge, the chief judge's signature, appeals on a sheet, the row flags boards carry (signed,
 * under appeal), and the notice period and qualification line kept in the control state.
 */
import type { BoardRow, RankedRow } from '../../shared/boards.ts';
import type { CommandPayload } from '../../shared/commands.ts';
import type { Appeal, Competition, ContestEvent, Sheet } from '../../shared/model.ts';
import { computeSheet } from '../../shared/scoring/index.ts';
import { own } from '../../shared/records.ts';
import type { Actor } from './actor.ts';
import { roundKey, type ControlState, type Notice } from './control.ts';
import { PodiumError } from './errors.ts';

export const officialSheetCommandNames = ['sheet.sign', 'appeal.file', 'appeal.decide'] as const;
export type OfficialSheetCommand = {
  [N in (typeof officialSheetCommandNames)[number]]: { name: N; payload: CommandPayload<N> };
}[(typeof officialSheetCommandNames)[number]];

/**
 * The judges whose marks a contestant's sheet waits for: the event's panel judges who work where
 * the contestant performs (a judge or contestant without a venue belongs everywhere), a chief judge
 * only when on the panel (`panel: true`) or when they did mark this sheet. A chief who only
 * supervises and signs must not keep every sheet provisional, and neither must the judges of the
 * event's other venues, who never see this contestant (docs/VENUES.md).
 */
export function markingJudgeIds(
  setup: Competition,
  at: { eventId: string; contestantId: string | null },
  sheet?: Sheet,
): string[] {
  // Nobody on stage (contestantId null): every venue's panel.
  const venueId = setup.contestants.find(
    (c) => c.id === at.contestantId && c.eventId === at.eventId,
  )?.venueId;
  return setup.judges
    .filter(
      (j) =>
        j.eventIds.includes(at.eventId) &&
        (venueId === undefined || j.venueId === undefined || j.venueId === venueId) &&
        (j.role === 'judge' || j.panel === true || (sheet !== undefined && Object.hasOwn(sheet.marks, j.id))),
    )
    .map((j) => j.id);
}

/** The sheet after a signature, an appeal or an arbitration decision; the input is left untouched. */
export function applyOfficial(
  setup: Competition,
  event: ContestEvent,
  sheet: Sheet,
  command: OfficialSheetCommand,
  actor: Actor,
): Sheet {
  switch (command.name) {
    case 'sheet.sign': {
      const next = { ...sheet };
      if (!command.payload.signed) {
        delete next.signed;
        return next;
      }
      if (actor.kind !== 'judge') throw new PodiumError('forbidden', 'only the chief judge signs results');
      const result = computeSheet(
        event,
        markingJudgeIds(setup, { eventId: event.id, contestantId: command.payload.contestantId }, sheet),
        sheet,
      );
      if (!result.complete) {
        throw new PodiumError('incomplete', 'not every mark and measured value is in: nothing to sign yet');
      }
      next.signed = { by: actor.judgeId };
      return next;
    }
    case 'appeal.file': {
      const { appealId, grounds } = command.payload;
      if ((sheet.appeals ?? []).some((a) => a.id === appealId)) {
        throw new PodiumError('invalid_payload', `appeal ${appealId} already exists on this result`);
      }
      const appeal: Appeal = { id: appealId, grounds, status: 'open' };
      // Who filed it: the policy lets only the organiser and the contestant's team leader.
      if (actor.kind === 'leader') appeal.leaderTeamId = actor.teamId;
      return { ...sheet, appeals: [...(sheet.appeals ?? []), appeal] };
    }
    case 'appeal.decide': {
      const { appealId, decision, reason } = command.payload;
      const appeal = requireAppeal(sheet, appealId);
      if (appeal.status !== 'open') {
        throw new PodiumError('invalid_payload', `appeal ${appealId} was already ${appeal.status}`);
      }
      return withAppeal(sheet, { ...appeal, status: decision, reason });
    }
  }
}

/** The appeal of a sheet, or not_found. */
export function requireAppeal(sheet: Sheet, appealId: string): Appeal {
  const appeal = (sheet.appeals ?? []).find((a) => a.id === appealId);
  if (appeal === undefined) throw new PodiumError('not_found', `appeal ${appealId} is not on this result`);
  return appeal;
}

function withAppeal(sheet: Sheet, appeal: Appeal): Sheet {
  return { ...sheet, appeals: (sheet.appeals ?? []).map((a) => (a.id === appeal.id ? appeal : a)) };
}

/** A correction carried out under an upheld appeal: counted on the appeal (the log links them by `appealId`). */
export function linkCorrection(sheet: Sheet, appealId: string): Sheet {
  const appeal = requireAppeal(sheet, appealId);
  if (appeal.status !== 'upheld') {
    throw new PodiumError(
      'forbidden',
      `appeal ${appealId} is ${appeal.status}: only an upheld appeal corrects`,
    );
  }
  return withAppeal(sheet, { ...appeal, corrections: (appeal.corrections ?? 0) + 1 });
}

/** The row flags of one sheet: signed by the chief, under an open appeal. */
export function sheetFlags(sheet: Sheet): Pick<BoardRow, 'signed' | 'appealed'> {
  const flags: Pick<BoardRow, 'signed' | 'appealed'> = {};
  if (sheet.signed !== undefined) flags.signed = true;
  if ((sheet.appeals ?? []).some((a) => a.status === 'open')) flags.appealed = true;
  return flags;
}

/** Flags of a row combined from several (rounds of an overall, members of a standing): signed when all are. */
export function combinedFlags(
  parts: ReadonlyArray<Pick<BoardRow, 'signed' | 'appealed'>>,
): Pick<BoardRow, 'signed' | 'appealed'> {
  const flags: Pick<BoardRow, 'signed' | 'appealed'> = {};
  if (parts.length > 0 && parts.every((p) => p.signed === true)) flags.signed = true;
  if (parts.some((p) => p.appealed === true)) flags.appealed = true;
  return flags;
}

/** The notice period of a round, if finalize started one. */
export function noticeOf(control: ControlState, eventId: string, roundId: string): Notice | undefined {
  return own(control.notices ?? {}, roundKey(eventId, roundId));
}

/** Whether a finalized round's results are final at `now` (no notice, or its end has passed). */
export function isFinal(control: ControlState, eventId: string, roundId: string, now: number): boolean {
  const notice = noticeOf(control, eventId, roundId);
  return notice === undefined || now >= notice.endsAt;
}

/** The contestants above the qualification line: ok rows ranked `advance` or better (ties go through together). */
export function qualifiersOf(rows: readonly RankedRow[], advance: number): string[] {
  return rows.filter((r) => r.rank !== null && r.rank <= advance).map((r) => r.id);
}

/** The notice state after finalize: results are final at `endsAt`. */
export function startNotice(
  control: ControlState,
  eventId: string,
  roundId: string,
  endsAt: number,
): ControlState {
  return { ...control, notices: { ...(control.notices ?? {}), [roundKey(eventId, roundId)]: { endsAt } } };
}

/**
 * Take a qualifying round's line (again): who dropped out and who moved up since the last take are
 * recorded (递补), so the change stays in the control state and the log.
 */
export function takeQualifiers(
  control: ControlState,
  eventId: string,
  roundId: string,
  qualifiers: string[],
): ControlState {
  const key = roundKey(eventId, roundId);
  const before = own(control.qualification ?? {}, key);
  let moves = before?.moves ?? [];
  if (before !== undefined) {
    const removed = before.qualifiers.filter((id) => !qualifiers.includes(id));
    const promoted = qualifiers.filter((id) => !before.qualifiers.includes(id));
    if (removed.length + promoted.length > 0) moves = [...moves, { removed, promoted }];
  }
  const qualification = { ...(control.qualification ?? {}), [key]: { qualifiers, moves } };
  return { ...control, qualification };
}

/** Set or lift an event's appeal deadline. */
export function setAppealDeadline(
  control: ControlState,
  eventId: string,
  closesAt: number | null,
): ControlState {
  const deadlines = { ...(control.appealDeadlines ?? {}) };
  if (closesAt === null) delete deadlines[eventId];
  else deadlines[eventId] = closesAt;
  return { ...control, appealDeadlines: deadlines };
}
