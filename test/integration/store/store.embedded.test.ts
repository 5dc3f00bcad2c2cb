/** The store contract against EmbeddedStore in a temp folder, plus its durability on disk. */
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore, LOG_FILE_NAME } from '../../../server/store/embedded/embeddedStore.ts';
import { encodeFrame } from '../../../server/store/embedded/frames.ts';
import { openStore } from '../../../server/store/index.ts';
import { scratchId, type Store } from '../../../server/store/types.ts';
import { commitOf, row, setupNamed, sheetWith, storeContract } from './contract.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podium-embedded-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

storeContract('Embedded', async () => {
  const dir = await tempDir();
  const store = await EmbeddedStore.open(dir);
  return { store, competitionId: 'comp-1', dispose: () => store.close() };
});

storeContract('Embedded, compacted and reopened', async () => {
  const dir = await tempDir();
  const first = await EmbeddedStore.open(dir);
  await first.commit('before-compaction', commitOf());
  await first.close();
  const store = await EmbeddedStore.open(dir, {
    compactAboveBytes: 0,
    logger: { warn: () => {}, info: () => {} },
  });
  return { store, competitionId: 'comp-1', dispose: () => store.close() };
});

const BOARD = 'e1|r1|individual';
const KEY = { eventId: 'e1', roundId: 'r1', contestantId: 'c1' };

/** Everything a reader can see of competition `c` and namespace 'auth'. */
async function snapshot(store: Store, c: string): Promise<unknown> {
  return {
    competitions: await store.listCompetitions(),
    setup: await store.getSetup(c),
    control: await store.getControl(c),
    sheets: await store.getSheets(c),
    boards: await store.listBoards(c),
    top: await store.top(c, BOARD, 0, 100),
    log: await store.readLog(c, undefined, 100),
    records: (await store.listRecords('auth')).sort((a, b) => a.id.localeCompare(b.id)),
  };
}

async function fill(store: Store, c: string, commits: number): Promise<void> {
  await store.commit(c, commitOf({ setup: setupNamed(c, 'Disk'), control: { stage: 'live' } }));
  for (let i = 1; i < commits; i++) {
    await store.commit(
      c,
      commitOf({
        sheets: [{ key: { ...KEY, contestantId: `c${i}` }, sheet: sheetWith(String(i)) }],
        boards: [{ board: BOARD, rowId: `c${i}`, row: row(`c${i}`, String(i % 3).padStart(4, '0')) }],
      }),
    );
  }
}

function collectingLogger(): { warnings: string[]; warn(message: string): void } {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => warnings.push(message) };
}

describe('EmbeddedStore on disk', () => {
  it('reopens with the same state, remembers opIds and continues the log ids', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await fill(store, 'c', 6);
    const repeated = commitOf({ result: { first: true } });
    const firstOutcome = await store.commit('c', repeated);
    await store.putRecord('auth', 'session-1', { user: 'o1' }, 3600);
    await store.putRecord('auth', 'key-1', { hash: 'x' });
    await store.putRecord('auth', 'gone', { hash: 'y' });
    await store.deleteRecord('auth', 'gone');
    await store.commit('other', commitOf({ setup: setupNamed('other', 'Other') }));
    await store.deleteCompetition('other');
    const before = await snapshot(store, 'c');
    await store.close();

    const reopened = await EmbeddedStore.open(dir);
    expect(await snapshot(reopened, 'c')).toEqual(before);
    expect(await reopened.commit('c', { ...repeated, result: { first: false } })).toEqual({
      status: 'duplicate',
      result: { first: true },
      logId: firstOutcome.status === 'committed' ? firstOutcome.logId : 'not committed',
    });
    expect(
      await reopened.commit('c', { ...repeated, entry: { ...repeated.entry, actor: 'judge:other' } }),
    ).toEqual({ status: 'taken' });
    const next = await reopened.commit('c', commitOf());
    const log = await reopened.readLog('c', undefined, 100);
    expect(next.status === 'committed' && next.logId).toBe(log.at(-1)?.id);
    expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
    await reopened.close();
  });

  it('replays a promoted scratch space after a restart (issue #12)', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await fill(store, 'c', 4);
    const lastOp = await store.lastOp('c');
    await fill(store, scratchId('c'), 2);
    await store.commit('other', commitOf({ setup: setupNamed('other', 'Other') }));
    expect(await store.promoteScratch('c', lastOp)).toBe(true);
    const before = await snapshot(store, 'c');
    expect(before).toMatchObject({ competitions: ['c', 'other'] });
    await store.close();
    const reopened = await EmbeddedStore.open(dir);
    expect(await snapshot(reopened, 'c')).toEqual(before);
    expect(await reopened.getSetup(scratchId('c'))).toEqual({ value: null, version: 0 });
    await reopened.close();
  });

  it('cuts off a torn last record with a warning and keeps every record before it', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await fill(store, 'c', 4);
    const before = await snapshot(store, 'c');
    await store.close();
    const path = join(dir, LOG_FILE_NAME);
    const cleanSize = (await stat(path)).size;
    const frame = encodeFrame({ t: 'put', ns: 'auth', id: 'half', v: { written: 'partly' } });
    await appendFile(path, frame.subarray(0, Math.floor(frame.length / 2)));

    const logger = collectingLogger();
    const reopened = await EmbeddedStore.open(dir, { logger });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/incomplete record .* cut off/);
    expect(await snapshot(reopened, 'c')).toEqual(before);
    expect((await stat(path)).size).toBe(cleanSize);
    await reopened.putRecord('auth', 'after', { ok: true });
    await reopened.close();

    const quiet = collectingLogger();
    const again = await EmbeddedStore.open(dir, { logger: quiet });
    expect(quiet.warnings).toEqual([]);
    expect(await again.getRecord('auth', 'after')).toEqual({ ok: true });
    await again.close();
  });

  it('refuses to open when a record in the middle is corrupt', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await fill(store, 'c', 3);
    await store.close();
    const path = join(dir, LOG_FILE_NAME);
    // Line 1 is the format record, line 2 the set-up, line 3 the first mark.
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[2] = (lines[2] ?? '').replace('"c1"', '"c9"');
    await writeFile(path, lines.join('\n'));
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(
      /corrupt at line 3 .*checksum mismatch.*Refusing to start/,
    );
    // A refused open releases the folder: after a repair it opens.
    await writeFile(path, lines.slice(0, 2).join('\n') + '\n');
    const repaired = await EmbeddedStore.open(dir);
    expect((await repaired.getSetup('c')).version).toBe(1);
    await repaired.close();
  });

  it('serves one store per data folder at a time', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(/in use by process/);
    await store.close();
    const second = await EmbeddedStore.open(dir);
    await second.close();
  });

  it('is what openStore returns without a Redis URL, and says so', async () => {
    const dir = await tempDir();
    const { store, description } = await openStore({ dataDir: dir });
    expect(store).toBeInstanceOf(EmbeddedStore);
    expect(description).toBe(
      `Using the embedded store in ${dir} (single process). Set REDIS_URL=redis://… to use Redis.`,
    );
    await store.close();
  });
});
