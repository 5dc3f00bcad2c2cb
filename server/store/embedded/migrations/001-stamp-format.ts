/**
 * Embedded migration 1 → 2: a format-1 store.log has no format record. Write a new store.log that
 * starts with one (generation 1, base 0) followed by every byte of the old file, then rename it over
 * the old one. A crash before the rename leaves the old file and a temp file (removed at start), so
 * the step simply runs again; on a stamped log it does nothing.
 */
import { join } from 'node:path';
import type { Migration } from '../../format.ts';
import { createLogFile, isLogHeader, LOG_FILE_NAME, readFirstRecord } from '../dataFolder.ts';
import type { EmbeddedMigrationContext } from './context.ts';

/** Stamp the format record at the head of the log. */
export const stampFormatRecord: Migration<EmbeddedMigrationContext> = {
  from: 1,
  to: 2,
  description: 'write a format record at the head of store.log (the records are copied unchanged)',
  async run({ dir }) {
    const path = join(dir, LOG_FILE_NAME);
    const first = await readFirstRecord(path);
    if (first === undefined || isLogHeader(first)) return;
    await createLogFile(dir, { v: 2, gen: 1, base: 0 }, { copyFrom: path });
  },
};
