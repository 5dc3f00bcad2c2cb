/**
 * What the live layer needs from the domain, as narrow interfaces. server/live/serviceAdapter.ts
 * maps the ContestService onto them, so a change there touches one file here.
 */
import type { Actor } from '../domain/actor.ts';
import type { Command } from '../../shared/commands.ts';
import type {
  BoardSnapshot,
  CommandResult,
  DivergenceFlag,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  StageState,
} from '../../shared/events.ts';
import type { Competition } from '../../shared/model.ts';
import type { CompetitionListing } from '../gateway/reads.ts';

/** A change the domain committed, as the live layer pushes it (board deltas come from the store's change feed). */
export type LiveChange =
  | { kind: 'stage'; stage: StageState }
  | { kind: 'control'; control: PublicControl }
  /** Boards whose view changed as a whole (freeze, reveal step, embargo, set-up change). */
  | { kind: 'reset'; competitionId: string; boards: string[] }
  /** A worklist line after a sheet changed, for the devices of these judges (all get the same line). */
  | { kind: 'sheet'; competitionId: string; judgeIds: string[]; line: JudgeSheetLine }
  /** A newly flagged divergence, for the event's chief judges and the organisers. */
  | { kind: 'divergence'; competitionId: string; chiefIds: string[]; flag: DivergenceFlag };

/** What the public may see of a competition right now. */
export interface PublicView {
  control: PublicControl;
  /** False while the board's event is embargoed or the board is frozen. */
  live(board: string): boolean;
}

export type { CompetitionListing } from '../gateway/reads.ts';

export interface LiveService {
  /** Authorise, validate against the set-up, persist; throws PodiumError. */
  execute(actor: Actor, command: Command): Promise<CommandResult>;
  /** Listen to changes committed by this process; returns the unsubscribe function. */
  onChange(listener: (change: LiveChange) => void): () => void;
  listCompetitions(): Promise<CompetitionListing[]>;
  /** Throws PodiumError('not_found') for an unknown competition. */
  getPublicCompetition(competitionId: string): Promise<PublicCompetition>;
  /** The full set-up, for an organiser; throws not_found / forbidden. */
  getCompetition(actor: Actor, competitionId: string): Promise<Competition>;
  /** Read fresh from the store, so a freeze committed on another node counts at once. */
  publicView(competitionId: string): Promise<PublicView>;
  stageStates(competitionId: string): Promise<StageState[]>;
  /** Public view hides frozen/embargoed changes; staff view is the live ranking. */
  boardSnapshot(competitionId: string, board: string, view: 'public' | 'staff'): Promise<BoardSnapshot>;
  /** A judge's worklist for a round of one of their events. */
  judgeSheets(actor: Actor, eventId: string, roundId: string): Promise<JudgeSheetLine[]>;
}
