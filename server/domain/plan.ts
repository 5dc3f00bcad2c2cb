/** What planning a command produces: the commit to send and how to describe it once committed. */
import type { CommandResult, PublicControl, StageState } from '../../shared/events.ts';
import type { Competition, Sheet } from '../../shared/model.ts';
import type { Commit, SheetKey, Store } from '../store/types.ts';
import type { ContestCache } from './competitionCache.ts';

/** A commit as planned: what the runner adds (opId, log entry, result) is left out. */
export type PlannedCommit = Omit<Commit, 'opId' | 'entry' | 'result'>;

/** A committed sheet change as it was planned (the versions it was checked against held). */
export interface SheetChange {
  setup: Competition;
  key: SheetKey;
  before: Sheet;
  after: Sheet;
  onStage: boolean;
  /** The venue whose stage the contestant is on (absent: the event-wide stage, or not on stage). */
  stageVenueId?: string;
  /** The judge who sent the command (null for an organiser). */
  by: string | null;
}

/** A prepared commit and how to describe it once committed. */
export interface Plan {
  commit: PlannedCommit;
  result: Omit<CommandResult, 'logId' | 'duplicate'>;
  reset: string[];
  stage?: StageState;
  /** Stages the command emptied besides `stage` (a finalize clears the round's stage at every venue). */
  stages?: StageState[];
  control?: PublicControl;
  sheetChange?: SheetChange;
}

/** What planners read from: the store, through this node's cache where it may. */
export interface PlanReads {
  store: Store;
  cache: ContestCache;
  /** Milliseconds since the epoch: appeal deadlines and notice periods are judged against it. */
  now: number;
}
