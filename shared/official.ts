/**
 * How official a result is, in one place: every printed page, the certificate check and every
 * public page (banner "成绩公示中 · 至 …") ask this function. 'provisional' until the round is
 * finalized; 'finalized' while the public notice that finalize started runs (成绩公示: changes only
 * through appeals); 'final' once it has ended, or at finalize when no notice period was set
 * (docs/RULES.md §13). Pure: the time comes in `now`, so a page re-evaluates it as the clock runs.
 */
import type { PublicControl } from './events.ts';
import type { ContestEvent } from './model.ts';
import type { OfficialStatusName } from './paper.ts';

export type OfficialStatus = OfficialStatusName;

/** The round id of an event's weighted combination of rounds (server/domain/projection.ts OVERALL). */
const OVERALL_ROUND = 'overall';

type ControlPart = Pick<PublicControl, 'rounds' | 'notices'>;

/** The rounds a board of `roundId` stands on: the round itself, or every counted round for 'overall'. */
function roundsOf(event: ContestEvent, roundId: string): ContestEvent['rounds'] {
  return roundId === OVERALL_ROUND
    ? event.rounds.filter((r) => r.weight !== undefined)
    : event.rounds.filter((r) => r.id === roundId);
}

/**
 * 'final' when the round (for 'overall': every counted round) is finalized and its notice period
 * is over at `now`; 'finalized' while a notice still runs; else 'provisional'.
 */
export function officialStatus(
  event: ContestEvent,
  roundId: string,
  control: ControlPart,
  now: number = Date.now(),
): OfficialStatus {
  const rounds = roundsOf(event, roundId);
  const done =
    rounds.length > 0 && rounds.every((r) => control.rounds[`${event.id}|${r.id}`] === 'finalized');
  if (!done) return 'provisional';
  return noticeEndsAt(event, roundId, control, now) === null ? 'final' : 'finalized';
}

/** When the last notice still running at `now` over the board's rounds ends; null when none runs. */
export function noticeEndsAt(
  event: ContestEvent,
  roundId: string,
  control: ControlPart,
  now: number = Date.now(),
): number | null {
  let end: number | null = null;
  for (const r of roundsOf(event, roundId)) {
    const notice = control.notices?.[`${event.id}|${r.id}`];
    if (notice !== undefined && now < notice.endsAt && (end === null || notice.endsAt > end))
      end = notice.endsAt;
  }
  return end;
}
