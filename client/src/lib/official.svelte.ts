/**
 * How official the results a public page shows are (shared/official.ts), kept current as the
 * clock passes the end of a notice: provisional → on public notice until … → final.
 */
import type { PublicControl } from '../../../shared/events.ts';
import type { ContestEvent } from '../../../shared/model.ts';
import { noticeEndsAt, officialStatus, type OfficialStatus } from '../../../shared/official.ts';

export interface OfficialView {
  status: OfficialStatus;
  /** While the notice runs: when it ends (ms). */
  endsAt: number | null;
}

/** The official state of a board of `roundId` at `now`; provisional while nothing is known. */
export function officialView(
  event: ContestEvent | null | undefined,
  roundId: string | null,
  control: PublicControl | null | undefined,
  now: number,
): OfficialView {
  if (!event || roundId === null || !control) return { status: 'provisional', endsAt: null };
  return {
    status: officialStatus(event, roundId, control, now),
    endsAt: noticeEndsAt(event, roundId, control, now),
  };
}

/** A clock for pages without one of their own: ticks every `everyMs` (a notice ends on time). */
export class Clock {
  now = $state(Date.now());

  /** Start ticking; returns the stop function (an $effect cleanup). */
  start(everyMs = 1_000): () => void {
    const timer = setInterval(() => (this.now = Date.now()), everyMs);
    return () => clearInterval(timer);
  }
}
