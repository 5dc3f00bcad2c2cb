/**
 * How official a result is, in one place: every printed page and the certificate check ask this
 * function. 'provisional' until the round is finalized; 'finalized' while the public notice that
 * finalize started runs (成绩公示: changes only through appeals); 'final' once it has ended, or at
 * finalize when no notice period was set (docs/RULES.md §13).
 */
import type { PublicControl } from '../../shared/events.ts';
import type { ContestEvent } from '../../shared/model.ts';
import { OVERALL } from './projection.ts';

export type OfficialStatus = 'provisional' | 'finalized' | 'final';

/**
 * 'final' when the round (for 'overall': every counted round) is finalized and its notice period
 * is over at `now`; 'finalized' while a notice still runs; else 'provisional'.
 */
export function officialStatus(
  event: ContestEvent,
  roundId: string,
  control: Pick<PublicControl, 'rounds' | 'notices'>,
  now: number = Date.now(),
): OfficialStatus {
  const rounds =
    roundId === OVERALL
      ? event.rounds.filter((r) => r.weight !== undefined)
      : event.rounds.filter((r) => r.id === roundId);
  const done =
    rounds.length > 0 && rounds.every((r) => control.rounds[`${event.id}|${r.id}`] === 'finalized');
  if (!done) return 'provisional';
  const noticeRuns = rounds.some((r) => {
    const notice = control.notices?.[`${event.id}|${r.id}`];
    return notice !== undefined && now < notice.endsAt;
  });
  return noticeRuns ? 'finalized' : 'final';
}
