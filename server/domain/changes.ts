/**
 * What a commit changed, as listeners get it: board deltas row by row (with each row's rank before
 * and after), boards that reset as a whole, and the stage, control and sheet the command touched.
 * `boardDeltas` is pure; ChangeNotifier reads the ranks it needs and calls the listeners.
 */
import { boardKey, type BoardRow } from '../../shared/boards.ts';
import type { BoardDelta, DeltaRow, PublicControl, SheetSummary, StageState } from '../../shared/events.ts';
import type { Competition } from '../../shared/model.ts';
import type { Logger } from '../logger.ts';
import { versionKey, type BoardUpdate, type Store } from '../store/types.ts';
import type { Plan, SheetChange } from './plan.ts';
import { rowRef } from './projection.ts';

/** What changed after a commit; the live layer coalesces and broadcasts it. */
export interface ChangeNotification {
  competitionId: string;
  /** Incremental changes per board, in commit order. */
  boards: BoardDelta[];
  /** Boards whose public view changed as a whole (freeze, reveal, embargo, set-up change). */
  reset: string[];
  stage?: StageState;
  control?: PublicControl;
  sheet?: SheetSummary;
  /** For a sheet command: the sheet before and after it, so listeners need no store reads. */
  sheetChange?: SheetChange;
}

export type ChangeListener = (change: ChangeNotification) => void;

/** Ranks by rowRef; a row absent from the map was not found on its board. */
export type Ranks = ReadonlyMap<string, number | null>;

/**
 * The deltas of the board updates of a committed plan (`versions`: the versions it left): a row's
 * rank now, its rank and total before; removed rows by id.
 */
export function boardDeltas(
  competitionId: string,
  updates: readonly BoardUpdate[],
  previous: ReadonlyMap<string, BoardRow | null>,
  versions: Record<string, number>,
  ranksBefore: Ranks,
  ranksNow: Ranks,
): BoardDelta[] {
  const byBoard = new Map<string, BoardUpdate[]>();
  for (const u of updates) {
    const list = byBoard.get(u.board);
    if (list === undefined) byBoard.set(u.board, [u]);
    else list.push(u);
  }
  const deltas: BoardDelta[] = [];
  for (const [board, boardUpdates] of byBoard) {
    const version = versions[versionKey({ kind: 'board', board })] ?? 0;
    const rows: DeltaRow[] = [];
    const removed: string[] = [];
    for (const u of boardUpdates) {
      const ref = rowRef(board, u.rowId);
      const before = previous.get(ref) ?? null;
      if (u.row === null) {
        removed.push(u.rowId);
        continue;
      }
      const previousRank = before === null ? null : (ranksBefore.get(ref) ?? null);
      // A dns/dnf/dsq row has rank null (no placing); only a row the store did not find falls back.
      const rank = ranksNow.has(ref) ? (ranksNow.get(ref) ?? null) : (previousRank ?? 0);
      rows.push({
        ...u.row,
        rank: u.row.outcome === 'ok' ? rank : null,
        previousRank,
        previousTotal: before?.total ?? null,
      });
    }
    deltas.push({ competitionId, board, prev: version - 1, version, rows, removed });
  }
  return deltas;
}

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

  /**
   * `boardDeltas` false: notifications carry no row-by-row deltas (and cost no rank reads); see
   * ContestServiceOptions.boardDeltas.
   */
  constructor(
    private readonly store: Store,
    private readonly withDeltas: boolean,
    private readonly logger?: Logger,
  ) {}

  /** Subscribe to change notifications; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listened(): boolean {
    return this.listeners.size > 0;
  }

  /** Ranks, just before the commit, of the rows a notification will show moving (by rowRef). */
  ranksBefore(competitionId: string, plan: Plan): Promise<Map<string, number | null>> {
    const existed = this.deltaUpdates(plan).filter(
      (u) => u.row !== null && (plan.previous.get(rowRef(u.board, u.rowId)) ?? null) !== null,
    );
    return this.ranksOf(competitionId, existed);
  }

  /** Tell listeners what a committed plan changed (`versions`: the versions the commit left). */
  async committed(
    competitionId: string,
    plan: Plan,
    versions: Record<string, number>,
    ranksBefore: Ranks,
  ): Promise<void> {
    if (!this.listened) return;
    const updates = this.deltaUpdates(plan);
    const ranksNow = await this.ranksOf(
      competitionId,
      updates.filter((u) => u.row !== null),
    );
    const change: ChangeNotification = {
      competitionId,
      boards: boardDeltas(competitionId, updates, plan.previous, versions, ranksBefore, ranksNow),
      reset: [...new Set(plan.reset)],
    };
    if (plan.stage !== undefined) change.stage = plan.stage;
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

  /** The updates a notification describes row by row (boards in `reset` are announced whole). */
  private deltaUpdates(plan: Plan): BoardUpdate[] {
    if (!this.listened || !this.withDeltas) return [];
    const reset = new Set(plan.reset);
    return plan.commit.boards.filter((u) => !reset.has(u.board));
  }

  /** Current ranks of the rows of `updates` that are on their boards, read together. */
  private async ranksOf(
    competitionId: string,
    updates: readonly BoardUpdate[],
  ): Promise<Map<string, number | null>> {
    const ranks = new Map<string, number | null>();
    await Promise.all(
      updates.map(async ({ board, rowId }) => {
        const ranked = await this.store.rankOf(competitionId, board, rowId);
        if (ranked !== null) ranks.set(rowRef(board, rowId), ranked.rank);
      }),
    );
    return ranks;
  }
}
