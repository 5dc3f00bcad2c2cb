/**
 * The order in which one process runs a competition's commands.
 *
 * Every command PLANS alone, in arrival order, against the state this node knows. A judge's mark
 * may then be PIPELINED: its commit is sent and the next command plans at once, on the state the
 * mark will leave behind, while the commit is still on its way to the store. Results are PUBLISHED
 * (notifications, then the acknowledgement) in the order the commands planned, after each one's
 * own commit settled. Other commands (set-up, control) are EXCLUSIVE: they start only after every
 * earlier command has been published, and the next starts only after they finish.
 *
 * Why this is safe: every commit carries the versions it was planned against, and the store
 * applies one node's commits in the order they were sent (one Redis connection; the embedded
 * store applies in call order). A commit planned on a predecessor that then did not apply finds
 * other versions and conflicts; the service drops its caches and plans that command again.
 * Why it is worth it: with one commit at a time, a competition's throughput is one store round
 * trip per mark (docs/BENCHMARKS.md, "ingestion"); pipelined, commits share round trips and writes.
 */

interface Lane {
  /** Settles when the latest command to start planning has finished planning. */
  planning: Promise<void>;
  /** Settles when the latest command has been published. */
  published: Promise<void>;
  /** Commands planned and not yet published. */
  inFlight: number;
  /** Waiting for inFlight to drop below the limit. */
  roomWaiters: Array<() => void>;
  /** Commands holding this lane (it is dropped when none does). */
  users: number;
}

export interface PipelinedCommand<P, S, R> {
  /**
   * Runs alone, in arrival order; returns once the commit has been SENT (not settled).
   * `behindOthers`: an earlier command is still in flight, so what it planned on is not confirmed.
   */
  prepare(behindOthers: boolean): Promise<P>;
  /** Runs concurrently with later commands' planning: typically awaits the commit's outcome. */
  settle(prepared: P): Promise<S>;
  /** Runs in planning order, after every earlier command's publish. */
  publish(settled: S): Promise<R>;
}

export class CommandLanes {
  private readonly lanes = new Map<string, Lane>();

  /** `maxInFlight`: commands of one competition planned but not yet published (1: no pipelining). */
  constructor(private readonly maxInFlight: number) {}

  /** Run `task` with nothing else of the competition planned, in flight or publishing. */
  async exclusive<T>(competitionId: string, task: () => Promise<T>): Promise<T> {
    const lane = this.enter(competitionId);
    const { planning, published } = lane;
    const done = deferred();
    lane.planning = done.promise;
    lane.published = done.promise;
    try {
      await planning;
      await published;
      return await task();
    } finally {
      done.resolve();
      this.leave(competitionId, lane);
    }
  }

  /** Run one pipelined command (see the module comment for the order of its three phases). */
  async pipelined<P, S, R>(competitionId: string, command: PipelinedCommand<P, S, R>): Promise<R> {
    const lane = this.enter(competitionId);
    const { planning: previousPlanning, published: previousPublished } = lane;
    const planned = deferred();
    const published = deferred();
    lane.planning = planned.promise;
    lane.published = published.promise;
    let counted = false;
    try {
      await previousPlanning;
      while (lane.inFlight >= this.maxInFlight) await new Promise<void>((r) => lane.roomWaiters.push(r));
      lane.inFlight++;
      counted = true;
      const prepared = await command.prepare(lane.inFlight > 1);
      planned.resolve();
      const settled = await command.settle(prepared);
      await previousPublished;
      return await command.publish(settled);
    } finally {
      planned.resolve();
      // A command that failed before publishing may not let later ones overtake its predecessors.
      void previousPublished.then(published.resolve);
      if (counted) {
        lane.inFlight--;
        lane.roomWaiters.shift()?.();
      }
      this.leave(competitionId, lane);
    }
  }

  private enter(competitionId: string): Lane {
    let lane = this.lanes.get(competitionId);
    if (lane === undefined) {
      lane = {
        planning: Promise.resolve(),
        published: Promise.resolve(),
        inFlight: 0,
        roomWaiters: [],
        users: 0,
      };
      this.lanes.set(competitionId, lane);
    }
    lane.users++;
    return lane;
  }

  private leave(competitionId: string, lane: Lane): void {
    lane.users--;
    if (lane.users === 0 && this.lanes.get(competitionId) === lane) this.lanes.delete(competitionId);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
