/**
 * ContestService: the domain's one entry point. Writes go to the command runner (commandRunner.ts:
 * lanes, pipelining, retries → planCommand.ts → the family planners → Store.commit → changes.ts);
 * reads to the authorised queries (queries.ts, deciding with visibility.ts); a restore replaces a
 * competition through the same lanes and announces the reset. Both share this node's cache of what
 * the store holds (competitionCache.ts).
 */
import type { Command } from '../../shared/commands.ts';
import type {
  BoardSnapshot,
  CommandResult,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  StageState,
} from '../../shared/events.ts';
import type { Competition } from '../../shared/model.ts';
import type { Logger } from '../logger.ts';
import { scratchView } from '../store/scratchView.ts';
import { scratchId, type Store } from '../store/types.ts';
import type { Actor } from './actor.ts';
import { ChangeNotifier, replacedBoards, type ChangeListener } from './changes.ts';
import { CommandRunner } from './commandRunner.ts';
import { ContestCache } from './competitionCache.ts';
import { drawCommandNames, withServerSeed } from './draws.ts';
import { HUB_ACTOR, parseMirroredStages, planMirroredStages, VENUE_STAGES } from './mirroredStages.ts';
import type { MirroredStages } from './mirroredStages.ts';
import { PodiumError } from './errors.ts';
import { commandCompetitionId } from './policy.ts';
import { ContestQueries } from './queries.ts';
import { replayArchive, type ArchiveContent, type ReplayReport } from './restore.ts';
import type { PublicView } from './visibility.ts';

export type { ChangeListener, ChangeNotification } from './changes.ts';
export type { SheetChange } from './plan.ts';

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

/** The draw commands: on a venue node the hub draws and decodes (hubOwnsDraws). */
const DRAW_COMMANDS: ReadonlySet<string> = new Set(drawCommandNames);

/** Enough to keep a store round trip busy at a few thousand marks a second. */
const DEFAULT_PIPELINE_DEPTH = 32;

export class ContestService {
  private readonly store: Store;
  private readonly logger: Logger | undefined;
  private readonly changes: ChangeNotifier;
  private readonly runner: CommandRunner;
  private readonly queries: ContestQueries;
  /** A venue node: draw commands go to the hub (hubOwnsDraws). */
  private drawsAtHub = false;
  /** Competitions being replaced (replaceCompetition): their commands are refused meanwhile. */
  private readonly restoring = new Set<string>();

  constructor(options: ContestServiceOptions) {
    this.store = options.store;
    this.logger = options.logger;
    const cache = new ContestCache(options.store);
    this.changes = new ChangeNotifier(options.logger);
    this.runner = new CommandRunner({
      store: options.store,
      cache,
      changes: this.changes,
      clock: options.clock ?? Date.now,
      maxAttempts: options.maxAttempts ?? 10,
      pipelineDepth: options.pipelineDepth ?? DEFAULT_PIPELINE_DEPTH,
    });
    this.queries = new ContestQueries(options.store, cache);
  }

  /**
   * On a venue node (docs/VENUES.md): the hub draws and decodes anonymised events, and the node
   * takes its draw with the hub's state. A draw command sent to the node is refused: a decode
   * confirmed here alone would show names the hub still hides.
   */
  hubOwnsDraws(): void {
    this.drawsAtHub = true;
  }

  /**
   * Take in stages as the hub holds them (a venue node, mirroredStages.ts): one `venue.stages` log
   * entry by the hub, applied in the competition's order; screens get a `stage:update` for each.
   * `mayTake` is asked inside the competition's lane, after every command accepted before it: when
   * it says no (a stage set at the node waits to be forwarded), nothing is recorded and the answer
   * is null.
   */
  async mirrorStages(
    competitionId: string,
    stages: MirroredStages['stages'],
    opId: string,
    mayTake: () => Promise<boolean> = () => Promise.resolve(true),
  ): Promise<{ logId: string; duplicate: boolean } | null> {
    if (this.restoring.has(competitionId)) throw restoringError(competitionId);
    const payload = parseMirroredStages({ competitionId, stages });
    try {
      return await this.runner.record(
        competitionId,
        { actor: HUB_ACTOR, opId, type: VENUE_STAGES, payload },
        async (reads, setup, control, expect) => {
          if (setup === null)
            throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
          if (!(await mayTake())) throw new StagesDeclined();
          return planMirroredStages(reads, competitionId, setup, control, payload.stages, expect);
        },
      );
    } catch (err) {
      if (err instanceof StagesDeclined) return null;
      throw err;
    }
  }

  /** Subscribe to change notifications; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    return this.changes.onChange(listener);
  }

  /** Execute a parsed command for an actor: authorise, apply, commit (retrying conflicts), notify. */
  execute(actor: Actor, command: Command): Promise<CommandResult> {
    const competitionId = commandCompetitionId(command);
    if (this.restoring.has(competitionId)) return Promise.reject(restoringError(competitionId));
    if (this.drawsAtHub && DRAW_COMMANDS.has(command.name))
      return Promise.reject(
        new PodiumError(
          'forbidden',
          `${command.name} is sent to the hub: at a venue node the hub draws and decodes, and the node follows`,
        ),
      );
    try {
      // A server draw gets its random seed here, before the log records the command.
      command = withServerSeed(command);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.runner.run(actor, command, competitionId);
  }

  /**
   * Restore a competition from an archive: replay its log into the competition's scratch space
   * (restore.ts), check it, and swap it in — see replaceCompetition for the order and the reset.
   */
  restore(competitionId: string, replace: boolean, archive: ArchiveContent): Promise<ReplayReport> {
    return this.replaceCompetition(competitionId, replace, (scratch) =>
      replayArchive(scratch, competitionId, archive),
    );
  }

  /**
   * Replace a competition wholesale (a restore). From the call on, commands for it are refused with
   * 'restoring' (a judge's outbox keeps them and sends them again later); the ones already accepted
   * finish first (the competition's lane). `build` then fills the competition's scratch space through
   * the Store it is given (store/scratchView.ts) and must check what it built; only when it resolves
   * is the scratch space promoted, in one atomic step, and only if no other node wrote the
   * competition meanwhile (else 'conflict'). On any failure the scratch space is dropped and the
   * competition is left exactly as it was. After a promotion screens get 'board:reset' for every
   * board of the old and new set-up, the new control state and every stage.
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
      return await this.runner.exclusive(competitionId, async () => {
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
          this.runner.forget(competitionId);
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
    if (!this.changes.listened) return;
    const view = await this.queries.publicView(competitionId);
    const setup = await this.queries.getSetup(competitionId);
    const listed = [...boardsBefore, ...(await this.store.listBoards(competitionId))];
    const reset = replacedBoards([previous, setup], listed);
    // Every stage anew: a venue node's resync is how a stage set at the hub reaches its screens.
    const stages = setup === null ? [] : await this.queries.stageStates(competitionId);
    this.changes.emit({ competitionId, reset, control: view.control, stages });
  }

  // ---- Queries (queries.ts) ----

  /** The competition's set-up (cached, checked against the store's version), or null. */
  getSetup(competitionId: string): Promise<Competition | null> {
    return this.queries.getSetup(competitionId);
  }

  /** The full set-up, for an organiser; 'forbidden' for anyone else, 'not_found' when there is none. */
  getCompetition(actor: Actor, competitionId: string): Promise<Competition> {
    return this.queries.getCompetition(actor, competitionId);
  }

  /** Public facts of a competition, or null when it does not exist. */
  getPublicCompetition(competitionId: string): Promise<PublicCompetition | null> {
    return this.queries.getPublicCompetition(competitionId);
  }

  /** The control state as screens see it (read fresh from the store). */
  getControl(competitionId: string): Promise<PublicControl> {
    return this.queries.getControl(competitionId);
  }

  /** What the public may see now (control read fresh from the store). */
  publicView(competitionId: string): Promise<PublicView> {
    return this.queries.publicView(competitionId);
  }

  /** A page of a board as `audience` may see it (queries.ts). */
  boardSnapshot(
    competitionId: string,
    board: string,
    audience: 'public' | 'staff',
    page: { offset?: number; limit?: number } = {},
  ): Promise<BoardSnapshot> {
    return this.queries.boardSnapshot(competitionId, board, audience, page);
  }

  /** Who is on stage in an event and how far the judges are. */
  stageState(competitionId: string, eventId: string, venueId?: string): Promise<StageState> {
    return this.queries.stageState(competitionId, eventId, venueId);
  }

  /** The stage of every event of a competition. */
  stageStates(competitionId: string): Promise<StageState[]> {
    return this.queries.stageStates(competitionId);
  }

  /** A judge's worklist for one round of an event: their own marks, others' once unblinded. */
  judgeSheets(actor: Actor, eventId: string, roundId: string): Promise<JudgeSheetLine[]> {
    return this.queries.judgeSheets(actor, eventId, roundId);
  }

  /** Every sheet line of a round as an organiser sees it. */
  organiserSheets(
    actor: Actor,
    competitionId: string,
    eventId: string,
    roundId: string,
  ): Promise<JudgeSheetLine[]> {
    return this.queries.organiserSheets(actor, competitionId, eventId, roundId);
  }
}

function restoringError(competitionId: string): PodiumError {
  return new PodiumError(
    'restoring',
    `competition ${competitionId} is being restored: nothing was written, send it again shortly`,
  );
}

/** mirrorStages: the node's own stage commands wait to be forwarded, so the hub's are not taken now. */
class StagesDeclined extends Error {}
