/**
 * Reading the log entries back from the archived logs of a compacted embedded store, for readLog
 * (the audit views, the log export and `npm run rebuild`). The archive is read once, on the first
 * request for an entry older than the snapshot, not at start.
 */
import type { LogEntry } from '../types.ts';
import type { StoredCommit } from './competitionState.ts';
import { archivedGenerations, archivedLogPath, isLogHeader } from './dataFolder.ts';
import { readLogFile } from './logFile.ts';

/** An entry with the number of its id. */
export interface NumberedEntry {
  seq: number;
  entry: LogEntry;
}

/**
 * The archived entries of the competitions in `firstSeqs` (competition id → seq of its first
 * commit since it was last created; older entries belong to a dropped competition of that id).
 * The archived logs must run without a gap from seq 1 to `untilSeq` (the snapshot's seq).
 */
export async function readArchivedEntries(
  dir: string,
  firstSeqs: ReadonlyMap<string, number>,
  untilSeq: number,
): Promise<Map<string, NumberedEntry[]>> {
  const found = new Map<string, NumberedEntry[]>();
  let seq = 0;
  for (const gen of await archivedGenerations(dir)) {
    const path = archivedLogPath(dir, gen);
    const { records } = await readLogFile(path);
    const header = records[0];
    const base = isLogHeader(header) ? header.base : 0;
    if (base !== seq) {
      throw new Error(
        `The archived log ${path} starts after entry ${base}, but the archive before it ends at entry ${seq}: ` +
          'an archived log file is missing. Restore the archive folder from a backup.',
      );
    }
    for (const record of records) {
      const r = record as { t?: string; c?: string; commit?: StoredCommit };
      if (r.t !== 'commit' || r.c === undefined || r.commit === undefined) continue;
      seq += 1;
      const first = firstSeqs.get(r.c);
      if (first === undefined || seq < first) continue;
      const { at, actor, opId, type, payload } = r.commit.entry;
      let list = found.get(r.c);
      if (!list) found.set(r.c, (list = []));
      list.push({ seq, entry: { id: `${seq}-0`, at, actor, opId, type, payload } });
    }
  }
  if (seq !== untilSeq) {
    throw new Error(
      `The archived logs in ${dir} hold ${seq} entries but the snapshot was taken after ${untilSeq}: ` +
        'archived log files are missing. Restore the archive folder from a backup.',
    );
  }
  return found;
}
