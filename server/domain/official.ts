/**
 * How official a result is, in one place: every printed page and the certificate check ask this
 * function. Today Podium knows 'provisional' and 'finalized' (round.finalize); sign-off, appeals
 * and the public-notice period (issue #14 items 1, 3, 4) add their states here, and the pages
 * follow.
 */
import type { PublicControl } from '../../shared/events.ts';
import type { ContestEvent } from '../../shared/model.ts';
import { OVERALL } from './projection.ts';

export type OfficialStatus = 'provisional' | 'finalized';

/** 'finalized' when the round (for 'overall': every counted round) is finalized, else 'provisional'. */
export function officialStatus(
  event: ContestEvent,
  roundId: string,
  control: Pick<PublicControl, 'rounds'>,
): OfficialStatus {
  const rounds =
    roundId === OVERALL
      ? event.rounds.filter((r) => r.weight !== undefined)
      : event.rounds.filter((r) => r.id === roundId);
  const done =
    rounds.length > 0 && rounds.every((r) => control.rounds[`${event.id}|${r.id}`] === 'finalized');
  return done ? 'finalized' : 'provisional';
}
