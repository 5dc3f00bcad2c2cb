/**
 * The embedded store's append-only log file: reading it back at start (detecting a torn tail and
 * refusing a corrupt middle) and appending with group commit (every append is fsynced before it
 * resolves; appends that arrive while a write+fsync is running share the next one).
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { decodeFrame, encodeFrame } from './frames.ts';

export interface LogReadResult {
  records: unknown[];
  /** Bytes at the end of the file that did not form a complete record (0 when the file is clean). */
  tornBytes: number;
  /** The length of the valid part of the file. */
  validLength: number;
}

/** Read every record of the log file (a missing file reads as empty); throws on a corrupt middle. */
export async function readLogFile(path: string): Promise<LogReadResult> {
  const records: unknown[] = [];
  let offset = 0;
  let lineNumber = 0;
  let firstBad = null as { offset: number; line: number; reason: string } | null;
  let pending: Buffer = Buffer.alloc(0);

  const consider = (line: Buffer, complete: boolean): void => {
    lineNumber += 1;
    const decoded = complete ? decodeFrame(line) : { ok: false as const, reason: 'no end of line' };
    if (decoded.ok && firstBad) {
      throw new Error(
        `The store log ${path} is corrupt at line ${firstBad.line} (byte ${firstBad.offset}: ${firstBad.reason}), ` +
          `but later records (line ${lineNumber}) are intact, so this is damage, not a write torn by a crash. ` +
          'Refusing to start rather than silently dropping acknowledged data: restore the file from a backup, ' +
          'or move it aside to start empty.',
      );
    }
    if (decoded.ok) records.push(decoded.record);
    else firstBad ??= { offset, line: lineNumber, reason: decoded.reason };
    offset += line.length + (complete ? 1 : 0);
  };

  try {
    for await (const chunk of createReadStream(path)) {
      pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
      let newline = pending.indexOf(0x0a);
      while (newline !== -1) {
        consider(pending.subarray(0, newline), true);
        pending = pending.subarray(newline + 1);
        newline = pending.indexOf(0x0a);
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { records: [], tornBytes: 0, validLength: 0 };
    throw err;
  }
  if (pending.length > 0) consider(pending, false);
  const validLength = firstBad ? firstBad.offset : offset;
  return { records, tornBytes: offset - validLength, validLength };
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Appends framed records to an open file; each append resolves once its bytes are fsynced. */
export class LogAppender {
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failure: Error | null = null;

  private constructor(private readonly handle: FileHandle) {}

  /** Open `path` for appending, cutting it to `validLength` first (dropping a torn tail). */
  static async open(path: string, validLength: number): Promise<LogAppender> {
    const handle = await open(path, 'a+');
    const { size } = await handle.stat();
    if (size > validLength) {
      await handle.truncate(validLength);
      await handle.sync();
    }
    return new LogAppender(handle);
  }

  /** Queue a record; resolves when it is on disk. After a failed write every append fails (restart to recover). */
  append(record: unknown): Promise<void> {
    return this.enqueue(encodeFrame(record));
  }

  /** Resolves once everything appended so far is on disk. */
  sync(): Promise<void> {
    if (!this.flushing && this.queue.length === 0)
      return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return this.enqueue(null);
  }

  /** Wait for pending appends, then close the file. */
  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }

  private enqueue(frame: Buffer | null): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      if (frame) this.queue.push(frame);
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /**
   * Write and fsync batches until nobody waits. `flushing` is cleared synchronously when the loop
   * sees an empty queue, so an append can never join a loop that has already finished.
   */
  private async flushLoop(): Promise<void> {
    while (this.waiters.length > 0) {
      const frames = this.queue;
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        await this.writeAll(Buffer.concat(frames));
        await this.handle.datasync();
        for (const w of waiters) w.resolve();
      } catch (err) {
        // The file may now end in a partial record and memory is ahead of it: stop accepting writes.
        this.failure = new Error(`Writing the store log failed; restart to recover: ${String(err)}`);
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
        this.waiters = [];
        this.queue = [];
      }
    }
    this.flushing = null;
  }

  private async writeAll(data: Buffer): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.handle.write(data, written, data.length - written);
      written += bytesWritten;
    }
  }
}
