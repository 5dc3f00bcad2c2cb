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

/** Where a competition's entries are in the log: its own id from `firstSeq` on, and a promoted scratch space's. */
export interface LogSource {
  /** Seq of the competition's first commit since it was last created; older entries belong to a dropped one. */
  firstSeq: number;
  /** A restore's scratch space promoted in its place: entries under `id` from firstSeq to untilSeq are its own. */
  promotedFrom: { id: string; untilSeq: number } | null;
}

/**
 * The archived entries of the competitions in `sources` (competition id → where its entries are).
 * The archived logs must run without a gap from seq 1 to `untilSeq` (the snapshot's seq).
 */
export async function readArchivedEntries(
  dir: string,
  sources: ReadonlyMap<string, LogSource>,
  untilSeq: number,
): Promise<Map<string, NumberedEntry[]>> {
  const found = new Map<string, NumberedEntry[]>();
  /** Scratch-space id → the competition it was promoted into. */
  const promotedInto = new Map<string, string>();
  for (const [c, source] of sources) if (source.promotedFrom) promotedInto.set(source.promotedFrom.id, c);
  const owners = (recordCompetition: string, seq: number): string[] => {
    const out: string[] = [];
    const own = sources.get(recordCompetition);
    if (own !== undefined && seq >= own.firstSeq) out.push(recordCompetition);
    const into = promotedInto.get(recordCompetition);
    const promoted = into === undefined ? undefined : sources.get(into);
    if (
      into !== undefined &&
      promoted?.promotedFrom &&
      seq >= promoted.firstSeq &&
      seq <= promoted.promotedFrom.untilSeq
    ) {
      out.push(into);
    }
    return out;
  };
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
      const { at, actor, opId, type, payload } = r.commit.entry;
      for (const owner of owners(r.c, seq)) {
        let list = found.get(owner);
        if (!list) found.set(owner, (list = []));
        list.push({ seq, entry: { id: `${seq}-0`, at, actor, opId, type, payload } });
      }
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
