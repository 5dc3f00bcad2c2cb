/**
 * Stored-data format of the embedded store (regression: log records carried no format version, so
 * an upgrade or downgrade could mis-read a contest's data): a new folder is stamped, a newer format
 * is refused with a message and left alone, and the un-versioned format 1 — a fixture written by
 * the code before versions existed — is migrated and reads back exactly.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { readFirstRecord } from '../../../server/store/embedded/dataFolder.ts';
import { EmbeddedStore } from '../../../server/store/embedded/embeddedStore.ts';
import { encodeFrame } from '../../../server/store/embedded/frames.ts';
import { STORE_FORMAT } from '../../../server/store/format.ts';
import { allBoards } from '../domain/helpers.ts';
import { commitOf, setupNamed } from './contract.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/store-format-1/', import.meta.url));
const COMPETITION = 'format1-fixture';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podium-format-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function collectingLogger(): { lines: string[]; warn(m: string): void; info(m: string): void } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(`warn: ${m}`), info: (m) => lines.push(`info: ${m}`) };
}

describe('embedded store format', () => {
  it('stamps the current format at the head of the log of a new data folder', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await store.commit('c', commitOf({ setup: setupNamed('c', 'New') }));
    await store.close();
    expect(STORE_FORMAT).toBe(2);
    expect(await readFirstRecord(join(dir, 'store.log'))).toEqual({ t: 'format', v: 2, gen: 1, base: 0 });
  });

  it('refuses a newer format with a message naming both formats and what to do, and changes nothing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.log');
    const written = Buffer.concat([
      encodeFrame({ t: 'format', v: 3, gen: 1, base: 0 }),
      encodeFrame({ t: 'shiny-new-record', c: 'c' }),
    ]);
    await writeFile(path, written);
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(
      /holds stored-data format 3, but this build of Podium reads formats up to 2\. .*newer Podium\. Run that version .*or restore the backup taken before the upgrade/,
    );
    expect((await readFile(path)).equals(written)).toBe(true);
  });

  it('migrates a format-1 folder written by the code before versions: same boards, zero rebuild differences', async () => {
    const expected = JSON.parse(await readFile(join(FIXTURE, 'expected.json'), 'utf8')) as {
      competitions: string[];
      setupVersion: number;
      control: unknown;
      sheets: number;
      entries: number;
      boards: Record<string, unknown>;
      records: unknown[];
    };
    const dir = await tempDir();
    await cp(join(FIXTURE, 'embedded'), dir, { recursive: true });
    const original = await readFile(join(dir, 'store.log'));
    expect(await readFirstRecord(join(dir, 'store.log'))).toMatchObject({ t: 'commit' });

    const logger = collectingLogger();
    const store = await EmbeddedStore.open(dir, { logger });
    expect(logger.lines.join('\n')).toMatch(
      /info: Migrating the embedded store in .* from stored-data format 1 to 2/,
    );
    expect(logger.lines.join('\n')).toMatch(
      /info: Migrated the embedded store in .* to stored-data format 2 in \d+ ms/,
    );
    expect(await store.listCompetitions()).toEqual(expected.competitions);
    expect((await store.getSetup(COMPETITION)).version).toBe(expected.setupVersion);
    expect(await store.getControl(COMPETITION)).toEqual(expected.control);
    expect(await store.getSheets(COMPETITION)).toHaveLength(expected.sheets);
    expect(await allBoards(store, COMPETITION)).toEqual(expected.boards);
    expect(await store.listRecords('auth')).toEqual(expected.records);
    const report = await rebuild(store, COMPETITION);
    expect(report.entries).toBe(expected.entries);
    expect(report.differences).toEqual([]);
    await store.close();

    // Stamped once: the old records follow the format record byte for byte, and a second open migrates nothing.
    const stamped = await readFile(join(dir, 'store.log'));
    expect(await readFirstRecord(join(dir, 'store.log'))).toEqual({ t: 'format', v: 2, gen: 1, base: 0 });
    const headerLength = stamped.indexOf(0x0a) + 1;
    expect(stamped.subarray(headerLength, headerLength + original.length).equals(original)).toBe(true);
    const quiet = collectingLogger();
    const again = await EmbeddedStore.open(dir, { logger: quiet });
    expect(quiet.lines).toEqual([]);
    expect(await allBoards(again, COMPETITION)).toEqual(expected.boards);
    await again.close();

    // And a migrated folder compacts like any other: the archived format-1 records still rebuild.
    const compacted = await EmbeddedStore.open(dir, { compactAboveBytes: 0, logger: quiet });
    await compacted.close();
    const reopened = await EmbeddedStore.open(dir, { logger: quiet });
    expect(await allBoards(reopened, COMPETITION)).toEqual(expected.boards);
    const afterCompaction = await rebuild(reopened, COMPETITION);
    expect(afterCompaction.entries).toBe(expected.entries);
    expect(afterCompaction.differences).toEqual([]);
    await reopened.close();
  });

  it('runs the migration again when a crash interrupted it (leftover temp file), and reads the data the same', async () => {
    const dir = await tempDir();
    await cp(join(FIXTURE, 'embedded'), dir, { recursive: true });
    const original = await readFile(join(dir, 'store.log'));
    // A crash during the migration leaves the old log and part of the new one.
    await writeFile(join(dir, 'store.log.tmp'), original.subarray(0, 1000));
    const logger = collectingLogger();
    const store = await EmbeddedStore.open(dir, { logger });
    expect(logger.lines.join('\n')).toMatch(/warn: Removed store\.log\.tmp .*interrupted/);
    expect(logger.lines.join('\n')).toMatch(/Migrated the embedded store/);
    expect((await rebuild(store, COMPETITION)).differences).toEqual([]);
    // New writes continue the old log ids (40 commits in the fixture).
    const next = await store.commit(COMPETITION, commitOf());
    expect(next.status === 'committed' && next.logId).toBe('41-0');
    await store.close();
  });
});
