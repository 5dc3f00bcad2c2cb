/**
 * Running a command: plan it (planCommand.ts), commit it, take the commit into the cache and notify
 * (changes.ts) — in the order commandLanes.ts gives, retrying on version conflicts. A judge's mark
 * is pipelined: once its commit is sent, the cache already holds what the commit will leave, so
 * the next command plans without waiting for the store's answer; everything else runs alone.
 * Conflicts thus only come from other nodes or from a pipelined predecessor that did not apply; on
 * a conflict the cache is dropped and the command is re-read and retried.
 */
import type { Command } from '../../shared/commands.ts';
import type { CommandResult } from '../../shared/events.ts';
import { versionKey, type Commit, type CommitOutcome, type Store } from '../store/types.ts';
import { bumpedVersions } from '../store/validate.ts';
import { actorLabel, type Actor } from './actor.ts';
import type { ChangeNotifier } from './changes.ts';
import { CommandLanes } from './commandLanes.ts';
import type { ContestCache } from './competitionCache.ts';
import { PodiumError } from './errors.ts';
import type { Plan, PlanReads } from './plan.ts';
import type { ControlState } from './control.ts';
import type { Competition } from '../../shared/model.ts';
import { planCommand } from './planCommand.ts';
import { isSheetCommand } from './sheetOps.ts';

export interface RunnerOptions {
  store: Store;
  cache: ContestCache;
  changes: ChangeNotifier;
  /** Milliseconds since the epoch, for log entries. */
  clock: () => number;
  /** Attempts on version conflicts before giving up with 'conflict'. */
  maxAttempts: number;
  /** Judges' marks of one competition planned and sent before the earlier ones are answered. */
  pipelineDepth: number;
}

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

export class CommandRunner {
  private readonly store: Store;
  private readonly cache: ContestCache;
  private readonly changes: ChangeNotifier;
  private readonly lanes: CommandLanes;
  /** Per competition: the opId of the latest commit this node sent (see Commit.after). */
  private readonly lastSent = new Map<string, string>();

  constructor(private readonly options: RunnerOptions) {
    this.store = options.store;
    this.cache = options.cache;
    this.changes = options.changes;
    this.lanes = new CommandLanes(options.pipelineDepth);
  }

  /** Plan, commit and notify one command in its competition's order. */
  run(actor: Actor, command: Command, competitionId: string): Promise<CommandResult> {
    if (isSheetCommand(command)) return this.runPipelined(actor, command, competitionId);
    return this.exclusive(competitionId, () => this.runNow(actor, command, competitionId));
  }

  /** Run `task` with nothing else of the competition planned, in flight or publishing. */
  exclusive<T>(competitionId: string, task: () => Promise<T>): Promise<T> {
    return this.lanes.exclusive(competitionId, task);
  }

  /** Drop what this node knows of a competition (it was replaced underneath). */
  forget(competitionId: string): void {
    this.cache.forget(competitionId);
    this.lastSent.delete(competitionId);
  }

  /**
   * Plan, commit and notify one log entry that is not a command (mirroredStages.ts: stages a venue
   * node takes from the hub) with nothing else of its competition in flight: `plan` gets the set-up
   * and control state as the cache holds them, and their versions to expect.
   */
  record(
    competitionId: string,
    entry: { actor: string; opId: string; type: string; payload: unknown },
    plan: (
      reads: PlanReads,
      setup: Competition | null,
      control: ControlState,
      expect: Commit['expect'],
    ) => Promise<Plan>,
  ): Promise<{ logId: string; duplicate: boolean }> {
    return this.exclusive(competitionId, async () => {
      for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
        const reads = { store: this.store, cache: this.cache, now: this.options.clock() };
        const setup = await this.cache.setup(competitionId);
        const control = await this.cache.control(competitionId);
        const planned = await plan(reads, setup.value, control.value, [
          { ref: { kind: 'setup' }, version: setup.version },
          { ref: { kind: 'control' }, version: control.version },
        ]);
        const outcome = await this.commitOrForget(competitionId, {
          ...planned.commit,
          opId: entry.opId,
          entry: { ...entry, at: this.options.clock() },
          result: null,
        });
        if (outcome.status === 'duplicate') return { logId: outcome.logId, duplicate: true };
        if (outcome.status === 'taken') throw opIdTaken(entry.opId);
        if (outcome.status === 'committed') {
          this.cache.remember(competitionId, planned.commit, outcome.versions);
          this.changes.committed(competitionId, planned);
          return { logId: outcome.logId, duplicate: false };
        }
        this.cache.forget(competitionId);
        await backOff(attempt);
      }
      throw new PodiumError('conflict', 'too many concurrent changes; please retry');
    });
  }

  /** Plan, commit and notify one command with nothing else of its competition in flight. */
  private async runNow(actor: Actor, command: Command, competitionId: string): Promise<CommandResult> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const planned = await this.planOrAnswer(actor, command, competitionId);
      if ('answer' in planned) return planned.answer;
      const { plan } = planned;
      const outcome = await this.commitOrForget(competitionId, this.commitOf(command, actor, plan));
      if (outcome.status === 'duplicate') return duplicateResult(outcome);
      if (outcome.status === 'taken') throw opIdTaken(command.payload.opId);
      if (outcome.status === 'committed') {
        this.cache.remember(competitionId, plan.commit, outcome.versions);
        this.changes.committed(competitionId, plan);
        return { logId: outcome.logId, duplicate: false, ...plan.result };
      }
      this.cache.forget(competitionId);
      await backOff(attempt);
    }
    throw new PodiumError('conflict', 'too many concurrent changes; please retry');
  }

  /**
   * A judge's mark, pipelined (commandLanes.ts): each version its commit bumps goes up by one from
   * the version it expects, so the cache takes that in at once. Such a command names the latest
   * commit sent (Commit.after): it applies only directly on top of it, so a predecessor that did
   * not apply — or another node's commit in between — makes it conflict and be planned again —
   * alone, as is a command refused while planned on unconfirmed state.
   */
  private async runPipelined(actor: Actor, command: Command, competitionId: string): Promise<CommandResult> {
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
          else this.cache.remember(competitionId, plan.commit, predicted);
          return { kind: 'sent', plan, predicted, outcome };
        },
        settle: async (step): Promise<PipelineStep> => {
          if (step.kind !== 'sent') return step;
          const outcome = await step.outcome;
          if (outcome.status === 'committed' && step.predicted === null) {
            this.cache.remember(competitionId, step.plan.commit, outcome.versions);
          } else if (
            outcome.status !== 'committed' ||
            step.predicted === null ||
            !sameVersions(outcome.versions, step.predicted)
          ) {
            this.cache.forget(competitionId);
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
          this.changes.committed(competitionId, plan);
          return { logId: outcome.logId, duplicate: false, ...plan.result };
        },
      },
    );
    if (result !== 'alone' && result !== null) return result;
    // Refused on unconfirmed state, or conflicted: try again alone, on confirmed state. (Retrying
    // pipelined could starve: with another node writing the same competition, a command planned
    // behind others conflicts whenever that node commits in between.)
    return this.exclusive(competitionId, () => this.runNow(actor, command, competitionId));
  }

  /** The plan of a command, or the first answer of an opId whose command no longer applies. */
  private async planOrAnswer(
    actor: Actor,
    command: Command,
    competitionId: string,
  ): Promise<{ plan: Plan } | { answer: CommandResult }> {
    try {
      return {
        plan: await planCommand(
          { store: this.store, cache: this.cache, now: this.options.clock() },
          actor,
          command,
          competitionId,
        ),
      };
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
        at: this.options.clock(),
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
      entry: { at: this.options.clock(), actor: actorLabel(actor), opId, type: 'probe', payload: null },
      expect: [{ ref: { kind: 'setup' }, version: -1 }],
      sheets: [],
      boards: [],
      result: null,
    });
    if (probe.status === 'taken') throw opIdTaken(opId);
    return probe.status === 'duplicate' ? duplicateResult(probe) : null;
  }

  /** Commit; when the store fails, what it holds is unknown, so the cache goes. */
  private async commitOrForget(competitionId: string, commit: Commit): Promise<CommitOutcome> {
    try {
      return await this.store.commit(competitionId, commit);
    } catch (err) {
      this.cache.forget(competitionId);
      throw err;
    }
  }
}

/** The answer to a repeated opId: the first commit's result and log id, marked as a duplicate. */
function duplicateResult(outcome: { result: unknown; logId: string }): CommandResult {
  const stored = (outcome.result ?? {}) as Omit<CommandResult, 'logId' | 'duplicate'>;
  return { ...stored, logId: outcome.logId, duplicate: true };
}

/** Another actor already committed this opId: refuse, and tell nothing of their write. */
function opIdTaken(opId: string): PodiumError {
  return new PodiumError(
    'op_id_conflict',
    `operation id ${opId} was already used by someone else in this competition: send this write with a new opId`,
  );
}

/** Randomised, growing pause before a command that conflicted is planned again. */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt) * Math.random()));
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
