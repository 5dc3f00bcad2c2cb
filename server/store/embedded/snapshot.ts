/**
 * The snapshot file of the embedded store (store.snapshot): the whole live state — setup, control,
 * sheets, versions, board rows, idempotency records of every competition, and the small records —
 * at the end of one log generation. Framed, checksummed lines like the log; a header first and an
 * end record last, so a damaged or cut snapshot is recognised and refused, never half-read.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BoardRow } from '../../../shared/boards.ts';
import { CompetitionState } from './competitionState.ts';
import { SNAPSHOT_FILE_NAME, writeFileAtomically, type FrameWriter } from './dataFolder.ts';
import { readLogFile } from './logFile.ts';
import { SortedBoard } from './sortedBoard.ts';

/** One small record as the store keeps it. */
export interface RecordSlot {
  json: string;
  expiresAt?: number;
}

/** The state a snapshot holds. */
export interface SnapshotState {
  competitions: Map<string, CompetitionState>;
  records: Map<string, Map<string, RecordSlot>>;
}

/** The first line of a snapshot. */
export interface SnapshotHeader {
  t: 'snapshot';
  /** Stored-data format. */
  v: number;
  /** The log generation this snapshot is the end state of (that log is archived). */
  gen: number;
  /** Commits up to the end of that log: the next log's first commit is `<seq + 1>-0`. */
  seq: number;
  /** When it was written (ms since the epoch). */
  at: number;
}

type SnapshotLine =
  | SnapshotHeader
  | {
      t: 'comp';
      c: string;
      firstSeq: number;
      /** Absent unless the competition is a promoted scratch space (CompetitionState.promotedFrom). */
      promotedFrom?: { id: string; untilSeq: number };
      setup: string | null;
      control: string | null;
      lastOp: string | null;
    }
  | { t: 'versions'; c: string; items: Array<[string, number]> }
  | { t: 'sheets'; c: string; items: Array<[string, string]> }
  | { t: 'rows'; c: string; board: string; items: Array<[string, BoardRow]> }
  | { t: 'ops'; c: string; items: Array<[string, unknown]> }
  | { t: 'recs'; ns: string; items: Array<[string, string, number | null]> }
  | { t: 'end'; lines: number };

const CHUNK = 2000;

/** Write the snapshot atomically (temp file, fsync, rename, fsync folder). */
export async function writeSnapshot(
  dir: string,
  header: Omit<SnapshotHeader, 't'>,
  state: SnapshotState,
  stopBeforeRename = false,
): Promise<void> {
  await writeFileAtomically(
    dir,
    SNAPSHOT_FILE_NAME,
    async (writer) => {
      await writer.write({ t: 'snapshot', ...header } satisfies SnapshotLine);
      for (const [c, s] of state.competitions) {
        await writer.write({
          t: 'comp',
          c,
          firstSeq: s.firstSeq,
          ...(s.promotedFrom === null ? {} : { promotedFrom: s.promotedFrom }),
          setup: s.setup,
          control: s.control,
          lastOp: s.lastOp,
        } satisfies SnapshotLine);
        await chunked(writer, s.versions, (items) => ({ t: 'versions', c, items }));
        await chunked(writer, s.sheets, (items) => ({ t: 'sheets', c, items }));
        for (const [board, sorted] of s.boards) {
          await chunked(writer, sorted.entries(), (items) => ({ t: 'rows', c, board, items }));
        }
        await chunked(writer, s.opsForSnapshot(), (items) => ({ t: 'ops', c, items }));
      }
      for (const [ns, slots] of state.records) {
        const items = [...slots].map(([id, slot]): [string, string, number | null] => [
          id,
          slot.json,
          slot.expiresAt ?? null,
        ]);
        await chunked(writer, items, (part) => ({ t: 'recs', ns, items: part }));
      }
      await writer.write({ t: 'end', lines: writer.count + 1 } satisfies SnapshotLine);
    },
    stopBeforeRename,
  );
}

/** Read store.snapshot: null when there is none; throws when it is damaged or incomplete. */
export async function readSnapshot(
  dir: string,
  now = Date.now(),
): Promise<{ header: SnapshotHeader; state: SnapshotState } | null> {
  const path = join(dir, SNAPSHOT_FILE_NAME);
  if (!(await fileExists(path))) return null;
  const { records, tornBytes } = await readLogFile(path);
  const damaged = (why: string): Error =>
    new Error(
      `The snapshot ${path} is damaged (${why}). It is written whole before it replaces the previous one, ` +
        'so this is damage, not an interrupted compaction. Restore the data folder from a backup.',
    );
  const lines = records as SnapshotLine[];
  const header = lines[0];
  const end = lines.at(-1);
  if (tornBytes > 0) throw damaged(`${tornBytes} bytes at the end are not a complete record`);
  if (header?.t !== 'snapshot') throw damaged('no snapshot header');
  if (end?.t !== 'end' || end.lines !== lines.length) throw damaged('the end record is missing');
  const state: SnapshotState = { competitions: new Map(), records: new Map() };
  const rows = new Map<string, Map<string, Array<[string, BoardRow]>>>();
  for (const line of lines) {
    if (line.t !== 'rows') restoreLine(state, line, now);
    else {
      // Collected first, so each board is sorted once however many lines it spans.
      let boards = rows.get(line.c);
      if (!boards) rows.set(line.c, (boards = new Map()));
      const list = boards.get(line.board);
      if (list) for (const item of line.items) list.push(item);
      else boards.set(line.board, line.items);
    }
  }
  for (const [c, boards] of rows) {
    for (const [board, items] of boards) competition(state, c).boards.set(board, SortedBoard.fromRows(items));
  }
  return { header, state };
}

function restoreLine(state: SnapshotState, line: SnapshotLine, now: number): void {
  switch (line.t) {
    case 'comp': {
      const s = new CompetitionState();
      s.firstSeq = line.firstSeq;
      s.promotedFrom = line.promotedFrom ?? null;
      s.setup = line.setup;
      s.control = line.control;
      s.lastOp = line.lastOp;
      state.competitions.set(line.c, s);
      return;
    }
    case 'versions':
      for (const [name, version] of line.items) competition(state, line.c).versions.set(name, version);
      return;
    case 'sheets':
      for (const [key, json] of line.items) competition(state, line.c).sheets.set(key, json);
      return;
    case 'ops': {
      const s = competition(state, line.c);
      for (const [opId, op] of line.items) s.restoreOp(opId, op, now);
      return;
    }
    case 'recs': {
      let slots = state.records.get(line.ns);
      if (!slots) {
        slots = new Map();
        state.records.set(line.ns, slots);
      }
      for (const [id, json, expiresAt] of line.items) {
        if (expiresAt !== null && expiresAt <= now) continue;
        slots.set(id, expiresAt === null ? { json } : { json, expiresAt });
      }
      return;
    }
    default:
      return;
  }
}

function competition(state: SnapshotState, c: string): CompetitionState {
  const s = state.competitions.get(c);
  if (!s) throw new Error(`The snapshot names competition ${c} before its header line`);
  return s;
}

async function chunked<T>(
  writer: FrameWriter,
  items: Iterable<T>,
  line: (items: T[]) => SnapshotLine,
): Promise<void> {
  let part: T[] = [];
  for (const item of items) {
    part.push(item);
    if (part.length === CHUNK) {
      await writer.write(line(part));
      part = [];
    }
  }
  if (part.length > 0) await writer.write(line(part));
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
