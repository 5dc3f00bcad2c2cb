/**
 * What a commit changed, as listeners get it: boards that reset as a whole, and the stage, control
 * and sheet the command touched. Row-by-row board deltas are not built here: the store's own change
 * feed carries them (Store.changes, server/store/changeFeed.ts).
 */
import { boardKey } from '../../shared/boards.ts';
import type { PublicControl, SheetSummary, StageState } from '../../shared/events.ts';
import type { Competition } from '../../shared/model.ts';
import type { Logger } from '../logger.ts';
import type { Plan, SheetChange } from './plan.ts';

/** What changed after a commit; the live layer coalesces and broadcasts it. */
export interface ChangeNotification {
  competitionId: string;
  /** Boards whose public view changed as a whole (freeze, reveal, embargo, set-up change). */
  reset: string[];
  stage?: StageState;
  /** Every stage anew (a replaced competition, e.g. a venue node's resync from the hub). */
  stages?: StageState[];
  control?: PublicControl;
  sheet?: SheetSummary;
  /** For a sheet command: the sheet before and after it, so listeners need no store reads. */
  sheetChange?: SheetChange;
}

export type ChangeListener = (change: ChangeNotification) => void;

/** Every board a replaced competition had or has: those listed, and each possible one of both set-ups. */
export function replacedBoards(
  setups: ReadonlyArray<Competition | null>,
  listed: Iterable<string>,
): string[] {
  const boards = new Set(listed);
  for (const setup of setups) {
    for (const event of setup?.events ?? []) {
      for (const roundId of [...event.rounds.map((r) => r.id), 'overall']) {
        for (const scope of ['individual', 'team', 'organisation'] as const) {
          boards.add(boardKey({ eventId: event.id, roundId, scope }));
        }
      }
    }
  }
  return [...boards];
}

export class ChangeNotifier {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly logger?: Logger) {}

  /** Subscribe to change notifications; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listened(): boolean {
    return this.listeners.size > 0;
  }

  /** Tell listeners what a committed plan changed. */
  committed(competitionId: string, plan: Plan): void {
    if (!this.listened) return;
    const change: ChangeNotification = { competitionId, reset: [...new Set(plan.reset)] };
    if (plan.stage !== undefined) change.stage = plan.stage;
    if (plan.stages !== undefined && plan.stages.length > 0) change.stages = plan.stages;
    if (plan.control !== undefined) change.control = plan.control;
    if (plan.result.sheet !== undefined) change.sheet = plan.result.sheet;
    if (plan.sheetChange !== undefined) change.sheetChange = plan.sheetChange;
    this.emit(change);
  }

  emit(change: ChangeNotification): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger?.error({ err, competitionId: change.competitionId }, 'change listener failed');
      }
    }
  }
}
