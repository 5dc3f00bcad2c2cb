/**
 * ContestService: executes write commands for an actor and answers the queries the transports
 * need. Each command is authorised, applied to the state this node last read or committed (kept
 * per competition: see competitionCache.ts), projected onto the boards and handed to the store as
 * one atomic, idempotent, version-checked Commit. One process plans the commands of a competition
 * one at a time (commandLanes.ts); a judge's mark is pipelined — the next command plans on the state
 * the mark's commit will leave while that commit is on its way — and everything else runs alone.
 * Conflicts thus only come from other nodes or from a pipelined predecessor that did not apply; on
 * a conflict the caches are dropped and the command is re-read and retried. A judge's mark thus
 * costs one store round trip, shared with the marks in flight beside it. Board deltas are not
 * built here: the store's change feed carries them (Store.changes).
 */
import {
  boardKey,
  parseBoardKey,
  type BoardRef,
  type BoardRow,
  type RankedRow,
} from '../../shared/boards.ts';
import type { Command } from '../../shared/commands.ts';
import type {
  BoardSnapshot,
  CommandResult,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  SheetSummary,
  StageState,
} from '../../shared/events.ts';
import type { Competition, Sheet } from '../../shared/model.ts';
import { own } from '../../shared/records.ts';
import type { Logger } from '../logger.ts';
import { scratchView } from '../store/scratchView.ts';
import {
  scratchId,
  sheetKeyString,
  versionKey,
  type BoardUpdate,
  type Commit,
  type CommitOutcome,
  type SheetKey,
  type Store,
  type Versioned,
} from '../store/types.ts';
import { bumpedVersions } from '../store/validate.ts';
import { actorLabel, type Actor } from './actor.ts';
import { CommandLanes } from './commandLanes.ts';
import { CompetitionCache } from './competitionCache.ts';
import {
  freezeOf,
  parseControl,
  roundState,
  toPublicControl,
  type ControlState,
  type Freeze,
} from './control.ts';
import {
  applyControlCommand,
  ceremonyBoard,
  frozenBoardIds,
  isControlCommand,
  type ControlCommand,
} from './controlOps.ts';
import { PodiumError } from './errors.ts';
import {
  assignedJudgeIds,
  authorize,
  commandCompetitionId,
  findContestant,
  findEvent,
  findRound,
} from './policy.ts';
import { projectAll, rowRef, sameRow, sheetDependencies, updatesForSheet } from './projection.ts';
import { applyToSheet, isSheetCommand, type SheetCommand } from './sheetOps.ts';
import { frozenView, judgeLine, publicCompetition, revealPlan, sheetSummary, stageView } from './views.ts';

/** What changed after a commit; the live layer coalesces and broadcasts it. */
export interface ChangeNotification {
  competitionId: string;
  /** Boards whose public view changed as a whole (freeze, reveal, embargo, set-up change). */
  reset: string[];
  stage?: StageState;
  control?: PublicControl;
  sheet?: SheetSummary;
  /** For a sheet command: the sheet before and after it, so listeners need no store reads. */
  sheetChange?: SheetChange;
}

/** A committed sheet change as it was planned (the versions it was checked against held). */
export interface SheetChange {
  setup: Competition;
  key: SheetKey;
  before: Sheet;
  after: Sheet;
  onStage: boolean;
  /** The judge who sent the command (null for an organiser). */
  by: string | null;
}

export type ChangeListener = (change: ChangeNotification) => void;

export interface ContestServiceOptions {
  store: Store;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
  logger?: Logger;
  /** Attempts on version conflicts before giving up with 'conflict'. */
  maxAttempts?: number;
  /**
   * Judges' marks of one competition that may be planned and sent before the earlier ones are
   * answered (commandLanes.ts); 1 runs every command one at a time.
   */
  pipelineDepth?: number;
}

/** Enough to keep a store round trip busy at a few thousand marks a second. */
const DEFAULT_PIPELINE_DEPTH = 32;

/** A prepared commit and how to describe it once committed. */
interface Plan {
  commit: Omit<Commit, 'opId' | 'entry' | 'result'>;
  result: Omit<CommandResult, 'logId' | 'duplicate'>;
  reset: string[];
  stage?: StageState;
  control?: PublicControl;
  sheetChange?: SheetChange;
}

const PAGE = 1000;

/** Where a pipelined command stands between the phases of commandLanes.ts. */
type PipelineStep =
  | { kind: 'answer'; answer: CommandResult }
  | { kind: 'alone' }
  | {
      kind: 'sent';
      plan: Plan;
      predicted: Record<string, number> | null;
      outcome: Promise<CommitOutcome>;
    }
  | { kind: 'settled'; plan: Plan; outcome: CommitOutcome };

export class ContestService {
  private readonly store: Store;
  private readonly clock: () => number;
  private readonly logger: Logger | undefined;
  private readonly maxAttempts: number;
  private readonly listeners = new Set<ChangeListener>();
  private readonly lanes: CommandLanes;
  /** Per competition: the opId of the latest commit this node sent (see Commit.after). */
  private readonly lastSent = new Map<string, string>();
  private readonly setups = new Map<string, Versioned<Competition | null>>();
  private readonly controls = new Map<string, Versioned<ControlState>>();
  private readonly caches = new Map<string, CompetitionCache>();
  /** Competitions being replaced (replaceCompetition): their commands are refused meanwhile. */
  private readonly restoring = new Set<string>();

  constructor(options: ContestServiceOptions) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.lanes = new CommandLanes(options.pipelineDepth ?? DEFAULT_PIPELINE_DEPTH);
  }

  /** Subscribe to change notifications; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Execute a parsed command for an actor: authorise, apply, commit (retrying conflicts), notify. */
  execute(actor: Actor, command: Command): Promise<CommandResult> {
    const competitionId = commandCompetitionId(command);
    if (this.restoring.has(competitionId)) return Promise.reject(restoringError(competitionId));
    if (isSheetCommand(command)) return this.executePipelined(actor, command, competitionId);
    return this.lanes.exclusive(competitionId, () => this.executeNow(actor, command, competitionId));
  }

  /**
   * Replace a competition wholesale (a restore). From the call on, commands for it are refused with
   * 'restoring' (a judge's outbox keeps them and sends them again later); the ones already accepted
   * finish first (the competition's lane). `build` then fills the competition's scratch space through
   * the Store it is given (store/scratchView.ts) and must check what it built; only when it resolves
   * is the scratch space promoted, in one atomic step, and only if no other node wrote the
   * competition meanwhile (else 'conflict'). On any failure the scratch space is dropped and the
   * competition is left exactly as it was. After a promotion screens get 'board:reset' for every
   * board of the old and new set-up, and the new control state.
   * `replace`: false refuses ('conflict') when the competition exists.
   */
  async replaceCompetition<T>(
    competitionId: string,
    replace: boolean,
    build: (scratch: Store) => Promise<T>,
  ): Promise<T> {
    if (this.restoring.has(competitionId)) throw restoringError(competitionId);
    this.restoring.add(competitionId);
    try {
      return await this.lanes.exclusive(competitionId, async () => {
        const before = await this.store.getSetup(competitionId);
        if (before.value !== null && !replace) {
          throw new PodiumError(
            'conflict',
            `competition ${competitionId} exists: add ?replace=1 to overwrite it`,
          );
        }
        const lastOp = await this.store.lastOp(competitionId);
        const boardsBefore = await this.store.listBoards(competitionId);
        await this.store.deleteCompetition(scratchId(competitionId));
        let built: T;
        try {
          built = await build(scratchView(this.store, competitionId));
          if (!(await this.store.promoteScratch(competitionId, lastOp))) {
            throw new PodiumError(
              'conflict',
              `competition ${competitionId} changed during the restore; nothing was replaced`,
            );
          }
        } catch (err) {
          // Tidy up; a scratch space left behind (the store is down) is invisible and dropped by the next restore.
          await this.store.deleteCompetition(scratchId(competitionId)).catch((cleanup: unknown) => {
            this.logger?.warn(
              { err: cleanup, competitionId },
              'could not drop the scratch space of a failed restore',
            );
          });
          throw err;
        } finally {
          this.forget(competitionId);
          this.lastSent.delete(competitionId);
        }
        await this.announceReplaced(competitionId, before.value, boardsBefore);
        return built;
      });
    } finally {
      this.restoring.delete(competitionId);
    }
  }

  /** Tell listeners a competition was replaced: every board it had or has resets, control anew. */
  private async announceReplaced(
    competitionId: string,
    previous: Competition | null,
    boardsBefore: readonly string[],
  ): Promise<void> {
    if (this.listeners.size === 0) return;
    const setup = await this.getSetup(competitionId);
    const boards = new Set([...boardsBefore, ...(await this.store.listBoards(competitionId))]);
    for (const s of [previous, setup]) {
      for (const event of s?.events ?? []) {
        for (const roundId of [...event.rounds.map((r) => r.id), 'overall']) {
          for (const scope of ['individual', 'team', 'organisation'] as const) {
            boards.add(boardKey({ eventId: event.id, roundId, scope }));
          }
        }
      }
    }
    const control = toPublicControl(competitionId, await this.freshControl(competitionId), setup);
    this.emit({ competitionId, reset: [...boards], control });
  }

  /** Plan, commit and notify one command with nothing else of its competition in flight. */
  private async executeNow(actor: Actor, command: Command, competitionId: string): Promise<CommandResult> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const planned = await this.planOrAnswer(actor, command, competitionId);
      if ('answer' in planned) return planned.answer;
      const { plan } = planned;
      const outcome = await this.commitOrForget(competitionId, this.commitOf(command, actor, plan));
      if (outcome.status === 'duplicate') return duplicateResult(outcome);
      if (outcome.status === 'taken') throw opIdTaken(command.payload.opId);
      if (outcome.status === 'committed') {
        this.remember(competitionId, plan.commit, outcome.versions);
        this.notify(competitionId, plan);
        return { logId: outcome.logId, duplicate: false, ...plan.result };
      }
      this.forget(competitionId);
      await backOff(attempt);
    }
    throw new PodiumError('conflict', 'too many concurrent changes; please retry');
  }

  /**
   * A judge's mark (any sheet command), pipelined (commandLanes.ts): once its commit is sent, the
   * cache already holds what the commit will leave (each version it bumps goes up by one from the
   * version it expects), so the next command plans without waiting for the store's answer. Such a
   * command names the latest commit sent (Commit.after): it applies only directly on top of it, so
   * a predecessor that did not apply — or another node's commit in between — makes it conflict and
   * be planned again — alone, as is a command refused while planned on unconfirmed state.
   */
  private async executePipelined(
    actor: Actor,
    command: Command,
    competitionId: string,
  ): Promise<CommandResult> {
    const result = await this.lanes.pipelined<PipelineStep, PipelineStep, CommandResult | 'alone' | null>(
      competitionId,
      {
        prepare: async (behindOthers): Promise<PipelineStep> => {
          let planned: { plan: Plan } | { answer: CommandResult };
          try {
            planned = await this.planOrAnswer(actor, command, competitionId);
          } catch (err) {
            // E.g. "this deduction already exists" on a state that an earlier command in flight
            // may not leave after all: decide once that state is known.
            if (behindOthers && err instanceof PodiumError) return { kind: 'alone' };
            throw err;
          }
          if ('answer' in planned) return { kind: 'answer', answer: planned.answer };
          const { plan } = planned;
          const predicted = predictedVersions(plan.commit);
          const commit = this.commitOf(command, actor, plan);
          const after = this.lastSent.get(competitionId);
          if (behindOthers && after !== undefined) commit.after = after;
          this.lastSent.set(competitionId, commit.opId);
          const outcome = this.commitOrForget(competitionId, commit);
          // Not predictable: behave as one-at-a-time and wait for the answer before the next plans.
          if (predicted === null) await outcome.catch(() => undefined);
          else this.cache(competitionId).committed(plan.commit, predicted);
          return { kind: 'sent', plan, predicted, outcome };
        },
        settle: async (step): Promise<PipelineStep> => {
          if (step.kind !== 'sent') return step;
          const outcome = await step.outcome;
          if (outcome.status === 'committed' && step.predicted === null) {
            this.remember(competitionId, step.plan.commit, outcome.versions);
          } else if (
            outcome.status !== 'committed' ||
            step.predicted === null ||
            !sameVersions(outcome.versions, step.predicted)
          ) {
            this.forget(competitionId);
          }
          return { kind: 'settled', plan: step.plan, outcome };
        },
        publish: async (step) => {
          if (step.kind === 'alone') return 'alone';
          if (step.kind === 'answer') return step.answer;
          if (step.kind !== 'settled') throw new Error('a pipelined command published before it settled');
          const { outcome, plan } = step;
          if (outcome.status === 'duplicate') return duplicateResult(outcome);
          if (outcome.status === 'taken') throw opIdTaken(command.payload.opId);
          if (outcome.status === 'conflict') return null;
          this.notify(competitionId, plan);
          return { logId: outcome.logId, duplicate: false, ...plan.result };
        },
      },
    );
    if (result !== 'alone' && result !== null) return result;
    // Refused on unconfirmed state, or conflicted: try again alone, on confirmed state. (Retrying
    // pipelined could starve: with another node writing the same competition, a command planned
    // behind others conflicts whenever that node commits in between.)
    return this.lanes.exclusive(competitionId, () => this.executeNow(actor, command, competitionId));
  }

  /** The plan of a command, or the first answer of an opId whose command no longer applies. */
  private async planOrAnswer(
    actor: Actor,
    command: Command,
    competitionId: string,
  ): Promise<{ plan: Plan } | { answer: CommandResult }> {
    try {
      return { plan: await this.plan(actor, command, competitionId) };
    } catch (err) {
      // A repeated opId must get its first answer even if the state has moved on since.
      if (err instanceof PodiumError) {
        const first = await this.firstResult(competitionId, command.payload.opId, actor);
        if (first !== null) return { answer: first };
      }
      throw err;
    }
  }

  private commitOf(command: Command, actor: Actor, plan: Plan): Commit {
    return {
      ...plan.commit,
      opId: command.payload.opId,
      entry: {
        at: this.clock(),
        actor: actorLabel(actor),
        opId: command.payload.opId,
        type: command.name,
        payload: command.payload,
      },
      result: plan.result,
    };
  }

  /**
   * The stored answer of an operation id `actor` committed, or null when it was never committed;
   * throws 'op_id_conflict' when another actor committed it.
   */
  private async firstResult(
    competitionId: string,
    opId: string,
    actor: Actor,
  ): Promise<CommandResult | null> {
    // A commit that can never apply (version −1) tells whether the opId is known, writing nothing.
    const probe = await this.store.commit(competitionId, {
      opId,
      entry: { at: this.clock(), actor: actorLabel(actor), opId, type: 'probe', payload: null },
      expect: [{ ref: { kind: 'setup' }, version: -1 }],
      sheets: [],
      boards: [],
      result: null,
    });
    if (probe.status === 'taken') throw opIdTaken(opId);
    return probe.status === 'duplicate' ? duplicateResult(probe) : null;
  }

  /** Commit; when the store fails, what it holds is unknown, so the caches go. */
  private async commitOrForget(competitionId: string, commit: Commit): Promise<CommitOutcome> {
    try {
      return await this.store.commit(competitionId, commit);
    } catch (err) {
      this.forget(competitionId);
      throw err;
    }
  }

  private remember(competitionId: string, commit: Plan['commit'], versions: Record<string, number>): void {
    if (commit.setup !== undefined) {
      const setupVersion = commit.expect.find((e) => e.ref.kind === 'setup')?.version ?? 0;
      this.setups.set(competitionId, { value: commit.setup, version: setupVersion + 1 });
      // Every board may have been recomputed: read the rows afresh.
      this.caches.delete(competitionId);
    } else {
      this.cache(competitionId).committed(commit, versions);
    }
    if (commit.control !== undefined) {
      const controlVersion = commit.expect.find((e) => e.ref.kind === 'control')?.version ?? 0;
      this.controls.set(competitionId, { value: parseControl(commit.control), version: controlVersion + 1 });
    }
  }

  private forget(competitionId: string): void {
    this.setups.delete(competitionId);
    this.controls.delete(competitionId);
    this.caches.delete(competitionId);
  }

  private cache(competitionId: string): CompetitionCache {
    let cache = this.caches.get(competitionId);
    if (cache === undefined) this.caches.set(competitionId, (cache = new CompetitionCache()));
    return cache;
  }

  /** A sheet as this node last saw it, read from the store when unknown. */
  private async cachedSheet(competitionId: string, key: SheetKey): Promise<Versioned<Sheet>> {
    const cache = this.cache(competitionId);
    const cached = cache.sheet(key);
    if (cached !== undefined) return cached;
    const fresh = await this.store.getSheet(competitionId, key);
    cache.putSheet(key, fresh);
    return fresh;
  }

  /** The versions of `boards`, read from the store where unknown. */
  private async cachedBoardVersions(competitionId: string, boards: readonly string[]): Promise<number[]> {
    const cache = this.cache(competitionId);
    return Promise.all(
      boards.map(async (board) => {
        const cached = cache.boardVersion(board);
        if (cached !== undefined) return cached;
        const version = await this.boardVersion(competitionId, board);
        cache.putBoardVersion(board, version);
        return version;
      }),
    );
  }

  /**
   * Current rows by rowRef, read from the store where unknown. Read only after the boards'
   * versions: a row that moved since then makes the commit conflict, never go stale.
   */
  private async cachedRows(
    competitionId: string,
    refs: ReadonlyArray<{ board: string; rowId: string }>,
  ): Promise<Map<string, BoardRow | null>> {
    const cache = this.cache(competitionId);
    const rows = new Map<string, BoardRow | null>();
    await Promise.all(
      refs.map(async ({ board, rowId }) => {
        let row = cache.row(board, rowId);
        if (row === undefined) {
          row = await this.store.rankOf(competitionId, board, rowId);
          cache.putRow(board, rowId, row);
        }
        rows.set(rowRef(board, rowId), row);
      }),
    );
    return rows;
  }

  private async cachedSetup(competitionId: string): Promise<Versioned<Competition | null>> {
    const cached = this.setups.get(competitionId);
    if (cached !== undefined) return cached;
    const fresh = await this.store.getSetup(competitionId);
    this.setups.set(competitionId, fresh);
    return fresh;
  }

  private async cachedControl(competitionId: string): Promise<Versioned<ControlState>> {
    const cached = this.controls.get(competitionId);
    if (cached !== undefined) return cached;
    const raw = await this.store.getControl(competitionId);
    const fresh = { value: parseControl(raw.value), version: raw.version };
    this.controls.set(competitionId, fresh);
    return fresh;
  }

  private async plan(actor: Actor, command: Command, competitionId: string): Promise<Plan> {
    const setup = await this.cachedSetup(competitionId);
    const control = await this.cachedControl(competitionId);
    const expect: Commit['expect'] = [
      { ref: { kind: 'setup' }, version: setup.version },
      { ref: { kind: 'control' }, version: control.version },
    ];
    if (command.name === 'setup.put') {
      authorize(actor, command, { setup: setup.value, control: control.value });
      return this.planSetup(competitionId, command.payload.competition, setup.value, expect);
    }
    if (isSheetCommand(command)) {
      const { eventId, roundId, contestantId } = command.payload;
      const key: SheetKey = { eventId, roundId, contestantId };
      const sheet = await this.cachedSheet(competitionId, key);
      authorize(actor, command, { setup: setup.value, control: control.value, sheet: sheet.value });
      expect.push({ ref: { kind: 'sheet', key }, version: sheet.version });
      const ctx = {
        competitionId,
        setup: existing(setup.value, competitionId),
        control: control.value,
        expect,
      };
      return this.planSheet(ctx, actor, command, key, sheet.value);
    }
    authorize(actor, command, { setup: setup.value, control: control.value });
    if (!isControlCommand(command)) throw new PodiumError('invalid_payload', 'unknown command');
    return this.planControl(
      competitionId,
      existing(setup.value, competitionId),
      control.value,
      command,
      expect,
    );
  }

  private async planControl(
    competitionId: string,
    setup: Competition,
    control: ControlState,
    command: ControlCommand,
    expect: Commit['expect'],
  ): Promise<Plan> {
    const boards = await this.controlBoards(competitionId, setup, command, expect);
    const applied = applyControlCommand(setup, control, command, boards);
    const plan: Plan = {
      commit: { expect, sheets: [], boards: [], control: applied.control },
      result: {},
      reset: applied.reset,
      control: toPublicControl(competitionId, applied.control, setup),
    };
    if (command.name === 'stage.set') {
      const { eventId, roundId, contestantId } = command.payload;
      const key = contestantId === null ? null : { eventId, roundId, contestantId };
      const sheet = key === null ? null : (await this.store.getSheet(competitionId, key)).value;
      plan.stage = stageView(competitionId, setup, findEvent(setup, eventId), roundId, contestantId, sheet);
    }
    return plan;
  }

  /**
   * The boards a control command needs: for a freeze, every covered board with its live rows (their
   * versions guard the commit); for an embargo, the event's board ids; otherwise none.
   */
  private async controlBoards(
    competitionId: string,
    setup: Competition,
    command: ControlCommand,
    expect: Commit['expect'],
  ): Promise<Map<string, RankedRow[]>> {
    const boards = new Map<string, RankedRow[]>();
    if (command.name === 'event.embargo') {
      for (const board of await this.store.listBoards(competitionId)) boards.set(board, []);
    }
    if (command.name === 'board.reveal') {
      // The step picks the lowest pending row of the round's ranking; its version guards the commit.
      const board = ceremonyBoard(command.payload.eventId, command.payload.roundId);
      expect.push({ ref: { kind: 'board', board }, version: await this.boardVersion(competitionId, board) });
      boards.set(board, await this.allRows(competitionId, board));
    }
    if (command.name === 'board.freeze' && command.payload.frozen) {
      const { eventId, roundId } = command.payload;
      for (const board of frozenBoardIds(
        setup,
        eventId,
        roundId,
        await this.store.listBoards(competitionId),
      )) {
        expect.push({
          ref: { kind: 'board', board },
          version: await this.boardVersion(competitionId, board),
        });
        boards.set(board, await this.allRows(competitionId, board));
      }
    }
    return boards;
  }

  private boardVersion(competitionId: string, board: string): Promise<number> {
    return this.store.getVersion(competitionId, { kind: 'board', board });
  }

  /** Every row of a board in rank order, read in pages. */
  private async allRows(competitionId: string, board: string): Promise<RankedRow[]> {
    const rows: RankedRow[] = [];
    for (;;) {
      const page = await this.store.top(competitionId, board, rows.length, PAGE);
      rows.push(...page);
      if (page.length < PAGE) return rows;
    }
  }

  private async planSheet(
    ctx: { competitionId: string; setup: Competition; control: ControlState; expect: Commit['expect'] },
    actor: Actor,
    command: SheetCommand,
    key: SheetKey,
    sheet: Sheet,
  ): Promise<Plan> {
    const { competitionId, setup, control, expect } = ctx;
    const event = findEvent(setup, key.eventId);
    findRound(event, key.roundId);
    const contestant = findContestant(setup, key.eventId, key.contestantId);
    const judgeIds = assignedJudgeIds(setup, event.id);
    const next = applyToSheet({ event, assignedJudgeIds: judgeIds }, sheet, command, actor);

    const deps = sheetDependencies(setup, event, contestant, key);
    // Versions first, then the rows: a change in between makes the commit conflict, never stale.
    const versions = await this.cachedBoardVersions(competitionId, deps.boards);
    deps.boards.forEach((board, i) =>
      expect.push({ ref: { kind: 'board', board }, version: versions[i] ?? 0 }),
    );
    const otherSheets = new Map<string, Sheet>();
    const others = await Promise.all(deps.otherSheets.map((other) => this.cachedSheet(competitionId, other)));
    deps.otherSheets.forEach((other, i) => {
      const found = others[i];
      if (found === undefined) return;
      // Guarded like the boards: the overall row is computed from these sheets.
      expect.push({ ref: { kind: 'sheet', key: other }, version: found.version });
      if (found.version > 0) otherSheets.set(sheetKeyString(other), found.value);
    });
    const previous = await this.cachedRows(competitionId, deps.rows);
    const updates = updatesForSheet(setup, event, contestant, key, next, {
      sheets: otherSheets,
      rows: previous,
    });
    const boards = updates.filter((u) => !sameRow(u.row, previous.get(rowRef(u.board, u.rowId))));

    const summary = sheetSummary(setup, event, key, next);
    const staged = own(control.stage, key.eventId);
    const onStage = staged?.roundId === key.roundId && staged.contestantId === key.contestantId;
    const by = actor.kind === 'judge' ? actor.judgeId : null;
    const plan: Plan = {
      commit: { expect, sheets: [{ key, sheet: next }], boards },
      result: { sheet: summary },
      reset: [],
      sheetChange: { setup, key, before: sheet, after: next, onStage, by },
    };
    if (onStage) plan.stage = stageView(competitionId, setup, event, key.roundId, key.contestantId, next);
    return plan;
  }

  /** A set-up change: recompute every board from all sheets and write the differences. */
  private async planSetup(
    competitionId: string,
    next: Competition,
    current: Competition | null,
    expect: Commit['expect'],
  ): Promise<Plan> {
    const listed = await this.store.listBoards(competitionId);
    // Any sheet written concurrently under the old set-up touches its round board: guard them all.
    const roundBoards = (current?.events ?? []).flatMap((e) =>
      e.rounds.map((r) => `${e.id}|${r.id}|individual`),
    );
    const sheets = await this.store.getSheets(competitionId);
    const projected = projectAll(next, sheets);
    const boards = [...new Set([...listed, ...roundBoards, ...projected.keys()])];
    const versions = await Promise.all(boards.map((b) => this.boardVersion(competitionId, b)));
    boards.forEach((board, i) => expect.push({ ref: { kind: 'board', board }, version: versions[i] ?? 0 }));
    const existing = new Map<string, RankedRow[]>();
    for (const board of listed) existing.set(board, await this.allRows(competitionId, board));

    const updates: BoardUpdate[] = [];
    for (const board of boards) {
      const want = projected.get(board) ?? new Map<string, BoardRow>();
      const have = new Map((existing.get(board) ?? []).map((r) => [r.id, r]));
      for (const [rowId, row] of want) {
        if (!sameRow(row, have.get(rowId))) updates.push({ board, rowId, row });
      }
      for (const rowId of have.keys()) if (!want.has(rowId)) updates.push({ board, rowId, row: null });
    }
    const control = (await this.cachedControl(competitionId)).value;
    // Finalized results are read-only: a set-up edit may not move any of their rows.
    const touched = updates.find((u) => {
      const ref = parseBoardKey(u.board);
      return ref !== null && roundState(control, ref.eventId, ref.roundId) === 'finalized';
    });
    if (touched) {
      throw new PodiumError(
        'finalized',
        `this set-up change would alter the finalized results of ${touched.board}`,
      );
    }
    // The sheets read must still be the ones projected.
    for (const { key, version } of sheets) expect.push({ ref: { kind: 'sheet', key }, version });
    return {
      commit: { expect, sheets: [], boards: updates, setup: next },
      result: {},
      reset: [...new Set(updates.map((u) => u.board))],
      control: toPublicControl(competitionId, control, next),
    };
  }

  private notify(competitionId: string, plan: Plan): void {
    if (this.listeners.size === 0) return;
    const change: ChangeNotification = { competitionId, reset: [...new Set(plan.reset)] };
    if (plan.stage !== undefined) change.stage = plan.stage;
    if (plan.control !== undefined) change.control = plan.control;
    if (plan.result.sheet !== undefined) change.sheet = plan.result.sheet;
    if (plan.sheetChange !== undefined) change.sheetChange = plan.sheetChange;
    this.emit(change);
  }

  private emit(change: ChangeNotification): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger?.error({ err, competitionId: change.competitionId }, 'change listener failed');
      }
    }
  }

  // ---- Queries ----

  /** The competition's set-up (cached, checked against the store's version), or null. */
  async getSetup(competitionId: string): Promise<Competition | null> {
    const version = await this.store.getVersion(competitionId, { kind: 'setup' });
    const cached = this.setups.get(competitionId);
    if (cached !== undefined && cached.version === version) return cached.value;
    const fresh = await this.store.getSetup(competitionId);
    this.setups.set(competitionId, fresh);
    return fresh.value;
  }

  /** Public facts of a competition, or null when it does not exist. */
  async getPublicCompetition(competitionId: string): Promise<PublicCompetition | null> {
    const setup = await this.getSetup(competitionId);
    return setup === null ? null : publicCompetition(setup);
  }

  /** The control state as screens see it (read fresh from the store). */
  async getControl(competitionId: string): Promise<PublicControl> {
    const [setup, control] = await Promise.all([
      this.getSetup(competitionId),
      this.freshControl(competitionId),
    ]);
    return toPublicControl(competitionId, control, setup);
  }

  private async freshControl(competitionId: string): Promise<ControlState> {
    return parseControl((await this.store.getControl(competitionId)).value);
  }

  /**
   * A page of a board. Staff see the live ranking. The public sees, during a freeze, the frozen
   * rows with the revealed bottom part live (see views.frozenView); for an embargoed event the
   * public gets an empty snapshot (rows [] and total 0) rather than an error, so a screen can show
   * "results withheld" — PublicControl.embargoed says why.
   */
  async boardSnapshot(
    competitionId: string,
    board: string,
    audience: 'public' | 'staff',
    page: { offset?: number; limit?: number } = {},
  ): Promise<BoardSnapshot> {
    const ref = parseBoardKey(board);
    const setup = await this.getSetup(competitionId);
    if (ref === null || setup === null || !setup.events.some((e) => e.id === ref.eventId)) {
      throw new PodiumError('not_found', `board ${board} does not exist`);
    }
    const offset = Math.max(0, page.offset ?? 0);
    const limit = Math.max(0, Math.min(page.limit ?? PAGE, PAGE));
    const version = await this.boardVersion(competitionId, board);
    const control = audience === 'public' ? await this.freshControl(competitionId) : null;
    const base = { competitionId, board, version };
    if (control?.embargoed.includes(ref.eventId)) return { ...base, rows: [], total: 0, frozen: false };
    const freeze = control === null ? undefined : freezeOf(control, board);
    if (control !== null && freeze !== undefined) {
      const live = await this.allRows(competitionId, board);
      if (ref.scope !== 'individual' && (await this.ceremonyDone(competitionId, control, ref, freeze))) {
        // Team and organisation rows follow the contestants: live once every result is revealed.
        const rows = live.slice(offset, offset + limit);
        return { ...base, rows, total: live.length, frozen: true };
      }
      const view = frozenView(freeze, board, live);
      const reveal = revealPlan(freeze, board, live, view);
      return { ...base, rows: view.slice(offset, offset + limit), total: view.length, frozen: true, reveal };
    }
    const [rows, total] = await Promise.all([
      this.store.top(competitionId, board, offset, limit),
      this.store.boardSize(competitionId, board),
    ]);
    return { ...base, rows, total, frozen: false };
  }

  /** True when the reveal of the round a board belongs to has nothing left to show. */
  private async ceremonyDone(
    competitionId: string,
    control: ControlState,
    ref: BoardRef,
    freeze: Freeze,
  ): Promise<boolean> {
    const key = Object.entries(control.freezes).find(([, f]) => f === freeze)?.[0];
    const roundId = key?.split('|')[1] ?? ref.roundId;
    const board = ceremonyBoard(ref.eventId, roundId);
    return revealPlan(freeze, board, await this.allRows(competitionId, board)).next === null;
  }

  /** Who is on stage in an event and how far the judges are. */
  async stageState(competitionId: string, eventId: string): Promise<StageState> {
    const setup = await this.getSetup(competitionId);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    const event = findEvent(setup, eventId);
    const control = await this.freshControl(competitionId);
    const onStage = own(control.stage, eventId) ?? { roundId: event.rounds[0]?.id ?? '', contestantId: null };
    const { roundId, contestantId } = onStage;
    const sheet =
      contestantId === null
        ? null
        : (await this.store.getSheet(competitionId, { eventId, roundId, contestantId })).value;
    return stageView(competitionId, setup, event, roundId, contestantId, sheet);
  }

  /** The stage of every event of a competition. */
  async stageStates(competitionId: string): Promise<StageState[]> {
    const setup = await this.getSetup(competitionId);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    return Promise.all(setup.events.map((e) => this.stageState(competitionId, e.id)));
  }

  /** A judge's worklist for one round of an event: their own marks, others' once unblinded. */
  async judgeSheets(actor: Actor, eventId: string, roundId: string): Promise<JudgeSheetLine[]> {
    if (actor.kind !== 'judge')
      throw new PodiumError('forbidden', 'judges only (organisers: organiserSheets)');
    return this.worklist(actor.competitionId, eventId, roundId, actor.judgeId);
  }

  /** Every sheet line of a round as an organiser sees it. */
  async organiserSheets(
    actor: Actor,
    competitionId: string,
    eventId: string,
    roundId: string,
  ): Promise<JudgeSheetLine[]> {
    if (actor.kind !== 'organiser') throw new PodiumError('forbidden', 'organisers only');
    return this.worklist(competitionId, eventId, roundId, null);
  }

  private async worklist(
    competitionId: string,
    eventId: string,
    roundId: string,
    judgeId: string | null,
  ): Promise<JudgeSheetLine[]> {
    const setup = await this.getSetup(competitionId);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    const event = findEvent(setup, eventId);
    findRound(event, roundId);
    if (judgeId !== null && !setup.judges.some((j) => j.id === judgeId && j.eventIds.includes(eventId))) {
      throw new PodiumError('forbidden', `judge ${judgeId} is not assigned to event ${eventId}`);
    }
    const control = await this.freshControl(competitionId);
    const onStage = own(control.stage, eventId);
    const contestants = setup.contestants.filter((c) => c.eventId === eventId);
    return Promise.all(
      contestants.map(async (c) => {
        const key = { eventId, roundId, contestantId: c.id };
        const sheet = (await this.store.getSheet(competitionId, key)).value;
        const staged = onStage?.roundId === roundId && onStage.contestantId === c.id;
        return judgeLine(setup, event, key, sheet, judgeId, staged);
      }),
    );
  }
}

/** False when the public must not see a board's live rows (its event is embargoed or the board frozen). */
export function publiclyLive(control: ControlState, board: string): boolean {
  const eventId = parseBoardKey(board)?.eventId;
  return (
    !(eventId !== undefined && control.embargoed.includes(eventId)) && freezeOf(control, board) === undefined
  );
}

/** The set-up, known to exist once authorize() passed for a command other than setup.put. */
function existing(setup: Competition | null, competitionId: string): Competition {
  if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
  return setup;
}

/** The answer to a repeated opId: the first commit's result and log id, marked as a duplicate. */
function duplicateResult(outcome: { result: unknown; logId: string }): CommandResult {
  const stored = (outcome.result ?? {}) as Omit<CommandResult, 'logId' | 'duplicate'>;
  return { ...stored, logId: outcome.logId, duplicate: true };
}

function restoringError(competitionId: string): PodiumError {
  return new PodiumError(
    'restoring',
    `competition ${competitionId} is being restored: nothing was written, send it again shortly`,
  );
}

/** Another actor already committed this opId: refuse, and tell nothing of their write. */
function opIdTaken(opId: string): PodiumError {
  return new PodiumError(
    'op_id_conflict',
    `operation id ${opId} was already used by someone else in this competition: send this write with a new opId`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Randomised, growing pause before a command that conflicted is planned again. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.min(50, 2 ** attempt) * Math.random());
}

/**
 * The versions a commit will leave if it applies: each version it bumps (server/store/validate.ts)
 * goes up by one from the version it expects. Null when a bumped version is not among the expected.
 */
export function predictedVersions(
  commit: Pick<Commit, 'expect' | 'sheets' | 'boards' | 'setup' | 'control'>,
): Record<string, number> | null {
  const expected = new Map(commit.expect.map(({ ref, version }) => [versionKey(ref), version]));
  const predicted: Record<string, number> = {};
  for (const name of bumpedVersions(commit)) {
    const version = expected.get(name);
    if (version === undefined) return null;
    predicted[name] = version + 1;
  }
  return predicted;
}

function sameVersions(actual: Record<string, number>, predicted: Record<string, number>): boolean {
  const names = Object.keys(predicted);
  return (
    names.length === Object.keys(actual).length && names.every((name) => actual[name] === predicted[name])
  );
}
