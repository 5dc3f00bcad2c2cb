/**
 * The files of the embedded store's data folder and how they are replaced safely: every file that
 * is not appended to is written as `<name>.tmp`, fsynced, renamed over its name, and the folder is
 * fsynced — so a crash leaves either the old file or the new one, never half of one.
 *
 *   store.log             the live log: a format record, then one framed record per change
 *   store.snapshot        the state at the end of an archived log (after a compaction)
 *   archive/store.<n>.log earlier logs, kept whole for rebuilds and audits
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFrame, encodeFrame } from './frames.ts';

export const LOG_FILE_NAME = 'store.log';
export const SNAPSHOT_FILE_NAME = 'store.snapshot';
export const ARCHIVE_DIR_NAME = 'archive';
const TEMP_SUFFIX = '.tmp';

/** The first record of a log file since format 2: its format, generation and the seq before its first commit. */
export interface LogHeader {
  t: 'format';
  /** Stored-data format of the records in this file. */
  v: number;
  /** 1 for the first log of a folder, +1 at each compaction. */
  gen: number;
  /** Number of commits before this file: its first commit has log id `<base + 1>-0`. */
  base: number;
}

/** True when a record is a log file's format record. */
export function isLogHeader(record: unknown): record is LogHeader {
  const r = record as Partial<LogHeader> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.t === 'format' &&
    Number.isInteger(r.v) &&
    Number.isInteger(r.gen) &&
    Number.isInteger(r.base)
  );
}

/** The path of the archived log of generation `gen`. */
export function archivedLogPath(dir: string, gen: number): string {
  return join(dir, ARCHIVE_DIR_NAME, `store.${String(gen).padStart(6, '0')}.log`);
}

/** Generations of the archived logs, oldest first. */
export async function archivedGenerations(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(join(dir, ARCHIVE_DIR_NAME));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((name) => /^store\.(\d+)\.log$/.exec(name)?.[1])
    .filter((gen): gen is string => gen !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * The first record of a file: `undefined` when the file does not exist, `null` when its first line
 * is not a complete valid record within the first 64 KiB (a format-1 log starts with a commit,
 * which may be longer), else the record.
 */
export async function readFirstRecord(path: string): Promise<unknown> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (newline === -1) return null;
    const decoded = decodeFrame(buffer.subarray(0, newline));
    return decoded.ok ? decoded.record : null;
  } finally {
    await handle.close();
  }
}

/** Remove the temp files (store.log.tmp, store.snapshot.tmp) a crash left behind (never the truth); returns their names. */
export async function removeLeftoverTempFiles(dir: string): Promise<string[]> {
  const ours = new Set([LOG_FILE_NAME + TEMP_SUFFIX, SNAPSHOT_FILE_NAME + TEMP_SUFFIX]);
  const names = (await readdir(dir)).filter((name) => ours.has(name));
  for (const name of names) await rm(join(dir, name), { force: true });
  if (names.length > 0) await syncDirectory(dir);
  return names;
}

/** Writes framed records to a file through a buffer (for snapshots and new logs). */
export class FrameWriter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Records written so far. */
  count = 0;

  constructor(private readonly handle: FileHandle) {}

  /** Frame and buffer one record, writing the buffer out when it passes 1 MiB. */
  async write(record: unknown): Promise<void> {
    await this.raw(encodeFrame(record));
    this.count += 1;
  }

  /** Buffer bytes as they are. */
  async raw(bytes: Buffer): Promise<void> {
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered >= 1024 * 1024) await this.flush();
  }

  /** Write out what is buffered. */
  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.handle.write(data, written, data.length - written);
      written += bytesWritten;
    }
  }
}

/**
 * Write `<dir>/<name>` atomically: fill `<name>.tmp` with `fill`, fsync it, and — unless
 * `stopBeforeRename` (a simulated crash in tests) — rename it over `<name>` and fsync the folder.
 */
export async function writeFileAtomically(
  dir: string,
  name: string,
  fill: (writer: FrameWriter) => Promise<void>,
  stopBeforeRename = false,
): Promise<void> {
  const temp = join(dir, name + TEMP_SUFFIX);
  const handle = await open(temp, 'w');
  try {
    const writer = new FrameWriter(handle);
    await fill(writer);
    await writer.flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (stopBeforeRename) return;
  await rename(temp, join(dir, name));
  await syncDirectory(dir);
}

/** Create store.log atomically: a format record, then (migration) the bytes of an older log file. */
export async function createLogFile(
  dir: string,
  header: Omit<LogHeader, 't'>,
  options: { copyFrom?: string; stopBeforeRename?: boolean } = {},
): Promise<void> {
  await writeFileAtomically(
    dir,
    LOG_FILE_NAME,
    async (writer) => {
      await writer.write({ t: 'format', ...header } satisfies LogHeader);
      if (options.copyFrom === undefined) return;
      for await (const chunk of createReadStream(options.copyFrom)) await writer.raw(chunk as Buffer);
    },
    options.stopBeforeRename,
  );
}

/** Move store.log of generation `gen` into the archive folder. */
export async function archiveLogFile(dir: string, gen: number): Promise<void> {
  await mkdir(join(dir, ARCHIVE_DIR_NAME), { recursive: true });
  await syncDirectory(dir);
  await rename(join(dir, LOG_FILE_NAME), archivedLogPath(dir, gen));
  await syncDirectory(join(dir, ARCHIVE_DIR_NAME));
  await syncDirectory(dir);
}

/** fsync a folder so that a file created or renamed in it survives a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
