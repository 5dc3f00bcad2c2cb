/**
 * Compaction of the embedded store: the state at the end of the current log becomes a snapshot,
 * the log moves whole into archive/ (for rebuilds and audits), and a new, empty log continues the
 * ids. Each step leaves a folder that opens correctly (docs/STORAGE.md, "Compaction"):
 *
 *   1. write store.snapshot.tmp, fsync        crash: the temp file is removed at start
 *   2. rename it to store.snapshot, fsync dir crash: the snapshot's generation = the log's → redo 3–4
 *   3. move store.log into archive/           crash: no store.log but a snapshot → redo 4
 *   4. write the new store.log (temp, rename) crash before the rename: as after 3
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { STORE_FORMAT } from '../format.ts';
import {
  archivedLogPath,
  archiveLogFile,
  createLogFile,
  isLogHeader,
  LOG_FILE_NAME,
  readFirstRecord,
} from './dataFolder.ts';
import { writeSnapshot, type SnapshotHeader, type SnapshotState } from './snapshot.ts';

/** The points after which a test can stop a compaction, as a crash would. */
export type CompactionStep = 'snapshot-temp' | 'snapshot' | 'archive' | 'log-temp';

/** A compaction stopped on purpose (tests): the folder is left as a crash at that point would. */
export class SimulatedCrash extends Error {}

/** Compact the folder whose log of generation `gen` holds commits up to `seq`; `state` is the state at its end. */
export async function compact(
  dir: string,
  at: { gen: number; seq: number },
  state: SnapshotState,
  crashAfter?: CompactionStep,
): Promise<void> {
  const stop = (step: CompactionStep): void => {
    if (crashAfter === step)
      throw new SimulatedCrash(`compaction stopped after step "${step}" (simulated crash)`);
  };
  const header: Omit<SnapshotHeader, 't'> = { v: STORE_FORMAT, gen: at.gen, seq: at.seq, at: Date.now() };
  await writeSnapshot(dir, header, state, crashAfter === 'snapshot-temp');
  stop('snapshot-temp');
  stop('snapshot');
  await finishCompaction(dir, header, crashAfter);
}

/**
 * Steps 3 and 4 for a snapshot already in place: archive store.log if it is still the snapshot's
 * generation, then start the next generation's log. Also what a start does after a crash there.
 */
export async function finishCompaction(
  dir: string,
  snapshot: Pick<SnapshotHeader, 'gen' | 'seq'>,
  crashAfter?: CompactionStep,
): Promise<void> {
  const first = await readFirstRecord(join(dir, LOG_FILE_NAME));
  if (isLogHeader(first) && first.gen === snapshot.gen) await archiveLogFile(dir, snapshot.gen);
  else if (first !== undefined) {
    throw new Error(
      `${join(dir, LOG_FILE_NAME)} is not of generation ${snapshot.gen}: not finishing a compaction`,
    );
  } else if (!(await exists(archivedLogPath(dir, snapshot.gen)))) {
    // No store.log and its generation is not archived: it was lost, not moved by a compaction.
    throw new Error(
      `${join(dir, LOG_FILE_NAME)} is missing, and so is ${archivedLogPath(dir, snapshot.gen)}: the changes made ` +
        'after the last compaction are gone. Refusing to start without them: restore the data folder from a backup.',
    );
  }
  if (crashAfter === 'archive')
    throw new SimulatedCrash('compaction stopped after step "archive" (simulated crash)');
  await createLogFile(
    dir,
    { v: STORE_FORMAT, gen: snapshot.gen + 1, base: snapshot.seq },
    { stopBeforeRename: crashAfter === 'log-temp' },
  );
  if (crashAfter === 'log-temp')
    throw new SimulatedCrash('compaction stopped after step "log-temp" (simulated crash)');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
