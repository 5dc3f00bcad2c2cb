/**
 * The team leader's (领队) side of appeals (docs/API.md, "Team leaders"): what sign-in answers and
 * what `GET /api/competitions/:id/leader` shows — the team's contestants, the rounds they can appeal
 * in with each event's deadline, and the team's appeals with their state. No marks, no other team.
 */
import type { Appeal } from './model.ts';
import type { OfficialStatus } from './official.ts';

/** Besides the token: which competition and team a leader code belongs to. */
export interface LeaderSession {
  competitionId: string;
  team: { id: string; name: string };
}

export interface LeaderRound {
  id: string;
  name: string;
  state: 'pending' | 'open' | 'closed' | 'finalized';
  status: OfficialStatus;
}

export interface LeaderEvent {
  id: string;
  name: string;
  /** The event's appeal deadline (`appeal.deadline`), ms since the epoch; null: none set. */
  appealsCloseAt: number | null;
  rounds: LeaderRound[];
}

export interface LeaderContestant {
  id: string;
  eventId: string;
  name: string;
}

/** An appeal of one of the team's contestants, with the result it is against. */
export interface LeaderAppeal extends Appeal {
  eventId: string;
  roundId: string;
  contestantId: string;
}

export interface LeaderView {
  ok: true;
  competition: { id: string; name: string };
  team: { id: string; name: string };
  /** Only the events the team has contestants in. */
  events: LeaderEvent[];
  contestants: LeaderContestant[];
  /** Every appeal on the team's contestants' results, whoever filed it. */
  appeals: LeaderAppeal[];
  /** The server's clock when answering (ms): deadlines are judged by it, not the phone's. */
  now: number;
}
