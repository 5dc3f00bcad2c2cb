/**
 * The judge's outbox: every mark is written to IndexedDB before it is sent, and removed only when
 * the server acknowledges it. Marks made offline survive reloads and crashes, and are sent again
 * with the same opId, so the server counts each exactly once.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CommandInput } from '../../../shared/commands.ts';
import type { ErrorCode, JudgeCommandName } from '../../../shared/events.ts';
import { randomId } from '../lib/ids.ts';

/** Commands the tablet queues; each one is a sheet command with its own opId. */
export type QueuedCommandName = Extract<
  JudgeCommandName,
  | 'marks.submit'
  | 'measured.enter'
  | 'deduction.add'
  | 'deduction.remove'
  | 'outcome.set'
  | 'sheet.lock'
  | 'sheet.sign'
>;

/** The chief judge's commands among them. */
export type ChiefCommandName = Exclude<QueuedCommandName, 'marks.submit'>;

export type QueuedCommand = {
  [N in QueuedCommandName]: { name: N; payload: CommandInput<N> & { opId: string } };
}[QueuedCommandName];

export interface OutboxItem {
  opId: string;
  /** The judge who made the mark: another judge signing in on this tablet never sends it. */
  judgeId: string;
  command: QueuedCommand;
  createdAt: number;
  attempts: number;
  /** pending: waiting to be sent or resent; failed: refused by the server, the judge must resolve it. */
  state: 'pending' | 'failed';
  error?: { code: ErrorCode; message: string };
}

interface OutboxDb extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { byJudge: string } };
}

export interface Outbox {
  /** Store an item durably; resolves once IndexedDB committed it. */
  put(item: OutboxItem): Promise<void>;
  /** A judge's items, oldest first. */
  list(judgeId: string): Promise<OutboxItem[]>;
  remove(opId: string): Promise<void>;
  close(): void;
}

/** Open (creating if needed) the outbox database of this browser. */
export async function openOutbox(name = 'podium-judge'): Promise<Outbox> {
  const db: IDBPDatabase<OutboxDb> = await openDB<OutboxDb>(name, 1, {
    upgrade(database) {
      const store = database.createObjectStore('outbox', { keyPath: 'opId' });
      store.createIndex('byJudge', 'judgeId');
    },
  });
  return {
    async put(item) {
      // Strict durability: the write is flushed to disk before it counts as done, so a mark the
      // judge saw "stored" survives the tablet losing power (relaxed may keep it in an OS cache).
      const tx = db.transaction('outbox', 'readwrite', { durability: 'strict' });
      await Promise.all([tx.store.put(item), tx.done]);
    },
    async list(judgeId) {
      const items = await db.getAllFromIndex('outbox', 'byJudge', judgeId);
      return items.sort((a, b) => a.createdAt - b.createdAt);
    },
    async remove(opId) {
      await db.delete('outbox', opId);
    },
    close() {
      db.close();
    },
  };
}

/** A fresh operation id for one submission (a retry keeps the id, a revision gets a new one). */
export function newOpId(): string {
  return randomId();
}
