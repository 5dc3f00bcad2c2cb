/**
 * What the organiser console reads to run official results (docs/API.md,
 * `GET /api/competitions/:id/official`): per contestant of one event round, whether the chief judge
 * signed and every appeal with its state; and the round's appeal deadline, notice and
 * qualification line.
 */
import type { Appeal } from './model.ts';
import type { OfficialStatus } from './official.ts';

export interface OfficialLine {
  contestantId: string;
  /** The chief judge signed this result (`sheet.sign`). */
  signed: boolean;
  /** The chief judge who signed; null while unsigned. */
  signedBy: string | null;
  appeals: Appeal[];
}

export interface OfficialLines {
  ok: true;
  eventId: string;
  roundId: string;
  status: OfficialStatus;
  /** The event's appeal deadline (`appeal.deadline`), ms; null: none set. */
  appealsCloseAt: number | null;
  /** The end of the round's public notice (`round.finalize` with `noticeEndsAt`), ms; null: none. */
  noticeEndsAt: number | null;
  /** A qualifying round's recorded line and its moves (递补); null before it was taken. */
  qualification: { qualifiers: string[]; moves: Array<{ removed: string[]; promoted: string[] }> } | null;
  /** One line per contestant of the event, in bib order. */
  lines: OfficialLine[];
}
