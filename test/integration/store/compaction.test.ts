/**
 * Compaction of the embedded store (snapshot + archived log + new log): everything a reader can
 * see survives it — boards, sheets, versions, records, every log entry with its id, the rebuild —
 * a repeated opId is still answered as a duplicate, and a crash between any two steps leaves a
 * folder that opens with the same state.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simulateJudging } from '../../../server/demo/simulate.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { SimulatedCrash, type CompactionStep } from '../../../server/store/embedded/compaction.ts';
import { archivedLogPath, readFirstRecord } from '../../../server/store/embedded/dataFolder.ts';
import { EmbeddedStore, type EmbeddedStoreOptions } from '../../../server/store/embedded/embeddedStore.ts';
import { scratchId, type Commit, type Store } from '../../../server/store/types.ts';
import { allBoards, ORGANISER, putSetup, smallCompetition } from '../domain/helpers.ts';
import { commitOf, row, setupNamed, sheetWith } from './contract.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podium-compact-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const NEVER: EmbeddedStoreOptions = { compactAboveBytes: Number.POSITIVE_INFINITY };
const ALWAYS: EmbeddedStoreOptions = { compactAboveBytes: 0, logger: quietLogger() };

function quietLogger(): {
  warnings: string[];
  infos: string[];
  warn(m: string): void;
  info(m: string): void;
} {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

/** Every log entry of a competition, a page at a time. */
async function wholeLog(store: Store, c: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.readLog(c, after, 7);
    out.push(...page);
    if (page.length < 7) return out;
    after = page.at(-1)?.id;
  }
}

/** Everything a reader can see of competition `c`, the store-level one `s` and the records. */
async function everything(store: Store, c: string): Promise<unknown> {
  return {
    competitions: await store.listCompetitions(),
    setup: await store.getSetup(c),
    control: await store.getControl(c),
    sheets: (await store.getSheets(c)).sort((a, b) =>
      JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)),
    ),
    boards: await allBoards(store, c),
    log: await wholeLog(store, c),
    storeLevel: {
      boards: await allBoards(store, 's'),
      log: await wholeLog(store, 's'),
      version: await store.getVersion('s', { kind: 'board', board: 'b' }),
    },
    records: (await store.listRecords('auth')).sort((a, b) => a.id.localeCompare(b.id)),
  };
}

interface Filled {
  competitionId: string;
  /** A store-level commit already made: repeating its opId must be a duplicate. */
  repeated: Commit;
  /** The log id of that first commit: a duplicate answers with it. */
  repeatedLogId: string;
  /** The last commit of competition 's' (a pipelined commit may name it in `after`). */
  lastOfS: Commit;
}

/** A live-scored competition through the real service, plus store-level commits, records and a dropped competition. */
async function fill(store: EmbeddedStore): Promise<Filled> {
  const service = new ContestService({ store });
  const setup = smallCompetition(4);
  await service.execute(ORGANISER, putSetup(setup));
  await simulateJudging(service, setup, { roundId: 'prelim', eventIds: ['welding'], runId: 'c1' });
  await store.commit('gone', commitOf({ setup: setupNamed('gone', 'Dropped') }));
  await store.deleteCompetition('gone');
  const repeated = commitOf({
    setup: setupNamed('s', 'Store level'),
    boards: [{ board: 'b', rowId: 'r1', row: row('r1', '0002') }],
    sheets: [{ key: { eventId: 'e1', roundId: 'r1', contestantId: 'c1' }, sheet: sheetWith('7') }],
    result: { first: true },
  });
  const first = await store.commit('s', repeated);
  if (first.status !== 'committed') throw new Error(`the first commit was ${first.status}`);
  const lastOfS = commitOf({ boards: [{ board: 'b', rowId: 'r2', row: row('r2', '0001') }] });
  await store.commit('s', lastOfS);
  await store.putRecord('auth', 'forever', { hash: 'h1' });
  await store.putRecord('auth', 'for-an-hour', { hash: 'h2' }, 3600);
  await store.putRecord('auth', 'deleted', { hash: 'h3' });
  await store.deleteRecord('auth', 'deleted');
  return { competitionId: setup.id, repeated, repeatedLogId: first.logId, lastOfS };
}

/** What must hold after any compaction or recovery: same state, rebuild clean, duplicates recognised, ids continue. */
async function expectIntact(store: EmbeddedStore, filled: Filled, before: unknown): Promise<void> {
  expect(await everything(store, filled.competitionId)).toEqual(before);
  const report = await rebuild(store, filled.competitionId);
  expect(report.differences).toEqual([]);
  expect(report.entries).toBeGreaterThan(20);
  // The regression that matters most: a judge's retry after a compaction must not count twice.
  expect(await store.commit('s', { ...filled.repeated, result: { first: false } })).toEqual({
    status: 'duplicate',
    result: { first: true },
    logId: filled.repeatedLogId,
  });
  // A pipelined commit planned on the last commit still applies after it.
  const next = await store.commit('s', commitOf({ after: filled.lastOfS.opId }));
  expect(next.status).toBe('committed');
  const ids = ((await wholeLog(store, 's')) as Array<{ id: string }>).map((e) => Number(e.id.split('-')[0]));
  expect(ids.at(-1)).toBeGreaterThan(ids.at(-2) ?? Infinity);
}

describe('embedded store compaction (regression: the log was never compacted and grew without end)', () => {
  it('keeps every board, sheet, record, log entry and idempotency record, and the rebuild, across compaction and reopen', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    const filled = await fill(store);
    const before = await everything(store, filled.competitionId);
    await store.close();

    const logger = quietLogger();
    const compacted = await EmbeddedStore.open(dir, { ...ALWAYS, logger });
    expect(logger.infos.join('\n')).toMatch(/Compacted the embedded store .* store\.snapshot, .* archive\//);
    expect(await readFirstRecord(join(dir, 'store.log'))).toMatchObject({ t: 'format', v: 2, gen: 2 });
    expect(existsSync(archivedLogPath(dir, 1))).toBe(true);
    expect(existsSync(join(dir, 'store.snapshot'))).toBe(true);
    await expectIntact(compacted, filled, before);
    const live = await everything(compacted, filled.competitionId);
    await compacted.close();

    // Reopened from the snapshot: the old entries come back from archive/, the new ones from the tail.
    const reopened = await EmbeddedStore.open(dir, NEVER);
    const afterFirst = await everything(reopened, filled.competitionId);
    expect(afterFirst).toEqual(live);
    expect(await reopened.commit('s', { ...filled.repeated, result: { first: false } })).toEqual({
      status: 'duplicate',
      result: { first: true },
      logId: filled.repeatedLogId,
    });
    expect((await rebuild(reopened, filled.competitionId)).differences).toEqual([]);
    await reopened.close();

    // A second compaction archives generation 2 too; the whole log still reads back in order.
    const twice = await EmbeddedStore.open(dir, ALWAYS);
    await twice.close();
    const third = await EmbeddedStore.open(dir, NEVER);
    expect(await everything(third, filled.competitionId)).toEqual(afterFirst);
    expect(existsSync(archivedLogPath(dir, 2))).toBe(true);
    expect((await rebuild(third, filled.competitionId)).differences).toEqual([]);
    await third.close();
  });

  it('does not show the entries of a dropped competition to one re-created with the same id after compaction', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    await store.commit('x', commitOf({ setup: setupNamed('x', 'First') }));
    await store.commit('x', commitOf());
    await store.close();
    const compacted = await EmbeddedStore.open(dir, ALWAYS);
    await compacted.deleteCompetition('x');
    const again = commitOf({ setup: setupNamed('x', 'Second') });
    await compacted.commit('x', again);
    await compacted.close();
    const reopened = await EmbeddedStore.open(dir, NEVER);
    const log = (await wholeLog(reopened, 'x')) as Array<{ opId: string }>;
    expect(log.map((e) => e.opId)).toEqual([again.opId]);
    await reopened.close();
  });

  it('keeps the log of a restored (promoted) competition across compaction, and not that of a failed restore', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    const c = 'restored';
    await store.commit(c, commitOf({ setup: setupNamed(c, 'Before the restore') }));
    const s = scratchId(c);
    // A restore that failed: its scratch space was written and dropped again.
    await store.commit(s, commitOf({ setup: setupNamed(c, 'Failed restore') }));
    await store.deleteCompetition(s);
    // The restore that succeeded: replayed into the scratch space, then promoted.
    const replayed = [commitOf({ setup: setupNamed(c, 'Restored') }), commitOf(), commitOf()];
    for (const commit of replayed) await store.commit(s, commit);
    expect(await store.promoteScratch(c, await store.lastOp(c))).toBe(true);
    // A later restore that failed must not add its entries to the restored competition.
    await store.commit(s, commitOf({ setup: setupNamed(c, 'Failed again') }));
    const afterRestore = commitOf();
    await store.commit(c, afterRestore);
    const expected = [...replayed, afterRestore].map((commit) => commit.opId);
    const opIds = async (st: Store): Promise<string[]> =>
      ((await wholeLog(st, c)) as Array<{ opId: string }>).map((e) => e.opId);
    expect(await opIds(store)).toEqual(expected);
    await store.close();

    const compacted = await EmbeddedStore.open(dir, ALWAYS);
    expect(await opIds(compacted)).toEqual(expected);
    await compacted.close();
    const reopened = await EmbeddedStore.open(dir, NEVER);
    expect(await opIds(reopened)).toEqual(expected);
    await reopened.close();
  });

  it('compacts at open once store.log reaches compactAboveBytes, and not below', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    await fill(store);
    await store.close();
    const size = (await readFile(join(dir, 'store.log'))).length;
    await (await EmbeddedStore.open(dir, { compactAboveBytes: size + 1 })).close();
    expect(existsSync(join(dir, 'store.snapshot'))).toBe(false);
    const logger = quietLogger();
    await (await EmbeddedStore.open(dir, { compactAboveBytes: size, logger })).close();
    expect(existsSync(join(dir, 'store.snapshot'))).toBe(true);
    expect(logger.infos).toHaveLength(1);
  });

  const steps: CompactionStep[] = ['snapshot-temp', 'snapshot', 'archive', 'log-temp'];
  it.each(steps)('recovers from a crash after compaction step "%s" with the same state', async (step) => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    const filled = await fill(store);
    const before = await everything(store, filled.competitionId);
    await store.close();

    await expect(EmbeddedStore.open(dir, { ...ALWAYS, crashCompactionAfter: step })).rejects.toThrow(
      SimulatedCrash,
    );
    const left = (await readdir(dir)).sort();
    const logger = quietLogger();
    const recovered = await EmbeddedStore.open(dir, { ...NEVER, logger });
    if (step === 'snapshot-temp' || step === 'log-temp') {
      expect(left.some((name) => name.endsWith('.tmp'))).toBe(true);
      expect(logger.warnings.join('\n')).toMatch(/Removed .*\.tmp .*interrupted/);
    }
    if (step !== 'snapshot-temp') {
      expect(logger.warnings.join('\n')).toMatch(
        /last compaction .* was interrupted after its snapshot .* finishing it/,
      );
    }
    expect((await readdir(dir)).some((name) => name.endsWith('.tmp'))).toBe(false);
    await expectIntact(recovered, filled, before);
    const afterRecovery = await everything(recovered, filled.competitionId);
    await recovered.close();

    // And the recovered folder compacts and reopens normally.
    await (await EmbeddedStore.open(dir, ALWAYS)).close();
    const again = await EmbeddedStore.open(dir, NEVER);
    expect(await everything(again, filled.competitionId)).toEqual(afterRecovery);
    await again.close();
  });

  it('refuses to open when store.log is missing and its generation was not archived either', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    await fill(store);
    await store.close();
    await expect(EmbeddedStore.open(dir, { ...ALWAYS, crashCompactionAfter: 'snapshot' })).rejects.toThrow(
      SimulatedCrash,
    );
    await rm(join(dir, 'store.log'));
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(
      /store\.log is missing, and so is .*Refusing to start/,
    );
  });

  it('refuses to open with a damaged snapshot instead of starting from part of the state', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir, NEVER);
    await fill(store);
    await store.close();
    await (await EmbeddedStore.open(dir, ALWAYS)).close();
    const path = join(dir, 'store.snapshot');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)));
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(
      /snapshot .* is damaged .*Restore the data folder from a backup/,
    );
  });
});
