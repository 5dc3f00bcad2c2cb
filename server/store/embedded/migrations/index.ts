/**
 * The embedded store's migrations, numbered by the format they start from, run in order at open
 * (server/store/format.ts runMigrations). Add a file per new format and list it here.
 */
import { join } from 'node:path';
import { newerFormatError, STORE_FORMAT, UNVERSIONED_FORMAT, type Migration } from '../../format.ts';
import { LOG_FILE_NAME, readFirstRecord, SNAPSHOT_FILE_NAME } from '../dataFolder.ts';
import type { EmbeddedMigrationContext } from './context.ts';
import { stampFormatRecord } from './001-stamp-format.ts';

export type { EmbeddedMigrationContext } from './context.ts';

/** Every embedded migration, oldest first. */
export const EMBEDDED_MIGRATIONS: ReadonlyArray<Migration<EmbeddedMigrationContext>> = [stampFormatRecord];

/**
 * The stored-data format of a data folder: the version in the format record of store.log (or of
 * store.snapshot when a compaction stopped between archiving the log and starting the next one),
 * UNVERSIONED_FORMAT for a log without one, 'new' for a folder without either. Throws when a
 * newer format is found.
 */
export async function embeddedFormat(dir: string): Promise<number | 'new'> {
  const log = formatIn(await readFirstRecord(join(dir, LOG_FILE_NAME)));
  const snapshot = formatIn(await readFirstRecord(join(dir, SNAPSHOT_FILE_NAME)));
  for (const [file, v] of [
    [LOG_FILE_NAME, log],
    [SNAPSHOT_FILE_NAME, snapshot],
  ] as const) {
    if (typeof v === 'number' && v > STORE_FORMAT)
      throw newerFormatError(`The data folder ${dir} (${file})`, v);
  }
  if (log !== undefined) return log;
  if (snapshot !== undefined) return snapshot;
  return 'new';
}

/** The format a file's first record declares: undefined for no file, format 1 for a log without a format record. */
function formatIn(first: unknown): number | undefined {
  if (first === undefined) return undefined;
  const r = first as { t?: unknown; v?: unknown } | null;
  if (r !== null && (r.t === 'format' || r.t === 'snapshot') && typeof r.v === 'number') return r.v;
  return UNVERSIONED_FORMAT;
}
