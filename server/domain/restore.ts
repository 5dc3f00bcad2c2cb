/**
 * Replaying an archive (the set-up, the control state and the full log of a competition, see
 * server/http/routes/archive.ts) into a store — in practice a restore's scratch space
 * (store/scratchView.ts) — and checking the result before anything live is replaced.
 *
 * ContestService.restore runs this inside the competition's lane and swaps the result in. Each log
 * entry is planned and committed by the service's own command path (commandRunner.ts, one at a
 * time, writing into the scratch space), as its original actor and at its original time, so sheets,
 * boards, control and the audit trail come out as they were, computed by today's rules with today's
 * checks. Then the result must match the archive: the same set-up and control,
 * and zero differences against a pure replay of the restored log (rebuild.ts). Anything else throws
 * 'invalid_payload' naming what failed.
 */
import { z } from 'zod';
import { commandSchemas, type Command, type CommandName } from '../../shared/commands.ts';
import type { Store } from '../store/types.ts';
import { ChangeNotifier } from './changes.ts';
import { CommandRunner } from './commandRunner.ts';
import { ContestCache } from './competitionCache.ts';
import { isAuditOnly } from './auditEntries.ts';
import { PodiumError } from './errors.ts';
import { commandCompetitionId } from './policy.ts';
import { actorFromLabel, rebuild } from './rebuild.ts';
import { parseMirroredStages, planMirroredStages, VENUE_STAGES } from './mirroredStages.ts';

/**
 * What an archive holds besides its header, as read from outside (the restore route, a venue node
 * fetching the hub's archive): the set-up, the control state and the log.
 */
export const archiveContentSchema = z.object({
  setup: z.unknown(),
  control: z.unknown(),
  log: z.array(
    z.object({
      id: z.string(),
      at: z.number(),
      actor: z.string(),
      opId: z.string(),
      type: z.string(),
      payload: z.unknown(),
    }),
  ),
});

/** One log entry as an archive holds it. */
export interface ArchiveEntry {
  id: string;
  at: number;
  actor: string;
  opId: string;
  type: string;
  payload: unknown;
}

/** What an archive holds besides its header. */
export interface ArchiveContent {
  setup: unknown;
  control: unknown;
  log: readonly ArchiveEntry[];
}

/** What a replay found: entries replayed and how the result compares with the archive. */
export interface ReplayReport {
  entries: number;
  verified: { setup: boolean; control: boolean; rebuildDifferences: number };
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandSchemas, name);
}

/** JSON with object keys sorted, to compare documents whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The command a log entry recorded, or a PodiumError naming the entry. */
function commandOf(entry: ArchiveEntry): Command {
  if (!isCommandName(entry.type)) {
    throw new PodiumError('invalid_payload', `log entry ${entry.id}: unknown type "${entry.type}"`);
  }
  const parsed = commandSchemas[entry.type].safeParse(entry.payload);
  if (!parsed.success)
    throw new PodiumError('invalid_payload', `log entry ${entry.id}: invalid ${entry.type}`);
  // The schema lookup keeps the name and payload together; TypeScript cannot see that.
  return { name: entry.type, payload: parsed.data } as Command;
}

/**
 * Replay `archive` into `store` as competition `competitionId` (which must be empty there) and
 * verify it; throws 'invalid_payload' naming the first entry that fails or what does not match.
 */
export async function replayArchive(
  store: Store,
  competitionId: string,
  archive: ArchiveContent,
): Promise<ReplayReport> {
  let at = 0;
  // The command path over the scratch space: nobody listens to it, nothing else writes there.
  const replayer = new CommandRunner({
    store,
    cache: new ContestCache(store),
    changes: new ChangeNotifier(),
    clock: () => at,
    maxAttempts: 10,
    pipelineDepth: 1,
  });
  const commandReplay = (entry: ArchiveEntry, command: Command) => () =>
    replayer.run(actorFromLabel(entry.actor, competitionId), command, commandCompetitionId(command));
  // Stages a venue node took from the hub (mirroredStages.ts): recorded again as they were.
  const stagesOf = (entry: ArchiveEntry) => {
    const { stages } = parseMirroredStages(entry.payload);
    return () =>
      replayer.record(
        competitionId,
        { actor: entry.actor, opId: entry.opId, type: entry.type, payload: entry.payload },
        (reads, setup, control, expect) => {
          if (setup === null) throw new PodiumError('invalid_payload', 'stages before any set-up');
          return planMirroredStages(reads, competitionId, setup, control, stages, expect);
        },
      );
  };
  for (const entry of archive.log) {
    if (isAuditOnly(entry.type)) continue;
    const replay = entry.type === VENUE_STAGES ? stagesOf(entry) : commandReplay(entry, commandOf(entry));
    at = entry.at;
    try {
      await replay();
    } catch (error) {
      const reason = error instanceof PodiumError ? error.message : 'internal error';
      throw new PodiumError(
        'invalid_payload',
        `log entry ${entry.id} (${entry.type}) cannot be replayed: ${reason}`,
      );
    }
  }
  const verified = {
    setup: stableJson((await store.getSetup(competitionId)).value) === stableJson(archive.setup),
    control: stableJson((await store.getControl(competitionId)).value) === stableJson(archive.control),
    // The restored boards, sheets and control against a pure replay of the restored log.
    rebuildDifferences: (await rebuild(store, competitionId)).differences.length,
  };
  const problems = [
    ...(verified.setup ? [] : ['the set-up differs from the archive’s']),
    ...(verified.control ? [] : ['the control state differs from the archive’s']),
    ...(verified.rebuildDifferences === 0 ? [] : [`${verified.rebuildDifferences} rebuild differences`]),
  ];
  if (problems.length > 0) {
    throw new PodiumError('invalid_payload', `the replayed archive does not verify: ${problems.join('; ')}`);
  }
  return { entries: archive.log.length, verified };
}
