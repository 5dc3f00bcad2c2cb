/**
 * The behaviour every Store must have, registered as vitest blocks for one implementation.
 * Rank keys are written by hand (fixed-width digits mostly) so this does not depend on scoring.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import type { BoardDelta } from '../../../shared/events.ts';
import type { Competition, Sheet } from '../../../shared/model.ts';
import { scratchId, type Commit, type SheetKey, type Store } from '../../../server/store/types.ts';

export interface StoreUnderTest {
  store: Store;
  /** A competition id no other test uses. */
  competitionId: string;
  /** Close the store and remove what the test left behind. */
  dispose(): Promise<void>;
}

const BOARD = 'e1|r1|individual';
const KEY: SheetKey = { eventId: 'e1', roundId: 'r1', contestantId: 'c1' };

export function sheetWith(mark: string): Sheet {
  return { marks: { j1: { quality: mark } }, measured: {}, deductions: [], outcome: 'ok', locked: false };
}

export function row(id: string, rankKey: string, total = '0'): BoardRow {
  return { id, total, complete: true, outcome: 'ok', rankKey };
}

export function setupNamed(id: string, name: string): Competition {
  return {
    id,
    name,
    events: [
      {
        id: 'e1',
        name: 'Welding',
        criteria: [
          { id: 'quality', label: 'Quality', max: 10, min: 0, step: 0.5, weight: '1', kind: 'judged' },
        ],
        scoring: {
          aggregation: { kind: 'mean' },
          decimals: 2,
          tieBreak: { criteria: [], earlierFinish: false },
          blind: true,
        },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [],
    teams: [],
    judges: [],
  };
}

let opCounter = 0;

/** A commit with defaults: a fresh opId, a log entry, nothing expected, nothing written. */
export function commitOf(parts: Partial<Commit> = {}): Commit {
  opCounter += 1;
  const opId = parts.opId ?? `op-${process.pid}-${Date.now()}-${opCounter}`;
  return {
    opId,
    entry: {
      at: 1_700_000_000_000 + opCounter,
      actor: 'judge:j1',
      opId,
      type: 'mark.submitted',
      payload: { n: opCounter },
    },
    expect: [],
    sheets: [],
    boards: [],
    result: { ok: true, opId },
    ...parts,
  };
}

/** Register the contract suite for one Store implementation. */
export function storeContract(name: string, openStoreUnderTest: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let sut: StoreUnderTest;
    let store: Store;
    let c: string;

    beforeEach(async () => {
      sut = await openStoreUnderTest();
      store = sut.store;
      c = sut.competitionId;
    });
    afterEach(async () => {
      await sut.dispose();
    });

    const putRows = (rows: Array<[string, string]>, board = BOARD) =>
      store.commit(
        c,
        commitOf({ boards: rows.map(([id, rankKey]) => ({ board, rowId: id, row: row(id, rankKey) })) }),
      );

    it('reads an unknown competition as empty, every version 0', async () => {
      expect(await store.getSetup(c)).toEqual({ value: null, version: 0 });
      expect(await store.getControl(c)).toEqual({ value: {}, version: 0 });
      expect(await store.getSheet(c, KEY)).toEqual({
        value: { marks: {}, measured: {}, deductions: [], outcome: 'ok', locked: false },
        version: 0,
      });
      expect(await store.getSheets(c)).toEqual([]);
      for (const ref of [{ kind: 'setup' }, { kind: 'control' }, { kind: 'board', board: BOARD }] as const) {
        expect(await store.getVersion(c, ref)).toBe(0);
      }
      expect(await store.top(c, BOARD, 0, 10)).toEqual([]);
      expect(await store.rankOf(c, BOARD, 'c1')).toBeNull();
      expect(await store.boardSize(c, BOARD)).toBe(0);
      expect(await store.listBoards(c)).toEqual([]);
      expect(await store.readLog(c, undefined, 10)).toEqual([]);
      expect(await store.listCompetitions()).not.toContain(c);
    });

    it('applies a commit: setup, control, sheet, board rows and one log entry', async () => {
      const commit = commitOf({
        setup: setupNamed(c, 'National Skills'),
        control: { stage: 'live', rounds: { r1: 'open' } },
        sheets: [{ key: KEY, sheet: sheetWith('8.5') }],
        boards: [
          { board: BOARD, rowId: 'c1', row: row('c1', '0010', '8.50') },
          { board: BOARD, rowId: 'c2', row: row('c2', '0020', '7.00') },
        ],
      });
      const outcome = await store.commit(c, commit);
      expect(outcome).toEqual({
        status: 'committed',
        logId: expect.any(String),
        versions: { 'sheet:e1|r1|c1': 1, [`board:${BOARD}`]: 1, setup: 1, control: 1 },
      });
      expect(await store.getSetup(c)).toEqual({ value: setupNamed(c, 'National Skills'), version: 1 });
      expect(await store.getControl(c)).toEqual({
        value: { stage: 'live', rounds: { r1: 'open' } },
        version: 1,
      });
      expect(await store.getSheet(c, KEY)).toEqual({ value: sheetWith('8.5'), version: 1 });
      expect(await store.getSheets(c)).toEqual([{ key: KEY, sheet: sheetWith('8.5'), version: 1 }]);
      expect(await store.getVersion(c, { kind: 'sheet', key: KEY })).toBe(1);
      expect(await store.top(c, BOARD, 0, 10)).toEqual([
        { ...row('c1', '0010', '8.50'), rank: 1 },
        { ...row('c2', '0020', '7.00'), rank: 2 },
      ]);
      expect(await store.listBoards(c)).toEqual([BOARD]);
      expect(await store.listCompetitions()).toContain(c);
      const log = await store.readLog(c, undefined, 10);
      expect(log).toEqual([{ id: outcome.status === 'committed' ? outcome.logId : '', ...commit.entry }]);
    });

    it('bumps a version once per commit, however many rows of the board it touches', async () => {
      await putRows([
        ['a', '0001'],
        ['b', '0002'],
        ['c', '0003'],
      ]);
      const second = await store.commit(
        c,
        commitOf({
          expect: [{ ref: { kind: 'board', board: BOARD }, version: 1 }],
          boards: [{ board: BOARD, rowId: 'a', row: row('a', '0004') }],
        }),
      );
      expect(second).toMatchObject({ status: 'committed', versions: { [`board:${BOARD}`]: 2 } });
    });

    it('answers a repeated opId with the first result and log id (issue #12: was logId ""), changing nothing', async () => {
      const first = commitOf({
        sheets: [{ key: KEY, sheet: sheetWith('5') }],
        result: { accepted: 'first' },
      });
      const committed = await store.commit(c, first);
      expect(committed.status).toBe('committed');
      const again = await store.commit(c, {
        ...first,
        sheets: [{ key: KEY, sheet: sheetWith('9') }],
        boards: [{ board: BOARD, rowId: 'c1', row: row('c1', '0001') }],
        result: { accepted: 'second' },
      });
      expect(again).toEqual({
        status: 'duplicate',
        result: { accepted: 'first' },
        logId: committed.status === 'committed' ? committed.logId : 'not committed',
      });
      expect(await store.getSheet(c, KEY)).toEqual({ value: sheetWith('5'), version: 1 });
      expect(await store.boardSize(c, BOARD)).toBe(0);
      expect(await store.readLog(c, undefined, 10)).toHaveLength(1);
    });

    it('refuses an opId another actor committed as "taken", never answering with their result (issue #12)', async () => {
      const first = commitOf({
        sheets: [{ key: KEY, sheet: sheetWith('5') }],
        result: { accepted: 'theirs' },
      });
      const committed = await store.commit(c, first);
      expect(committed.status).toBe('committed');
      // Another actor (another API key, another judge) happens to pick the same opId.
      for (const actor of ['integration:key-b', 'judge:j2', 'organiser:admin']) {
        const other = await store.commit(c, {
          ...first,
          entry: { ...first.entry, actor },
          sheets: [{ key: { ...KEY, contestantId: 'c2' }, sheet: sheetWith('9') }],
          result: { accepted: 'mine' },
        });
        expect(other).toEqual({ status: 'taken' });
      }
      expect(await store.getSheets(c)).toEqual([{ key: KEY, sheet: sheetWith('5'), version: 1 }]);
      expect(await store.readLog(c, undefined, 10)).toHaveLength(1);
      // The actor who wrote it still gets its own first answer.
      expect(await store.commit(c, first)).toEqual({
        status: 'duplicate',
        result: { accepted: 'theirs' },
        logId: committed.status === 'committed' ? committed.logId : 'not committed',
      });
    });

    it('answers a probe that can never apply by whose opId it is: duplicate, taken or conflict', async () => {
      const first = commitOf({ result: { n: 1 } });
      await store.commit(c, first);
      const probe = (opId: string, actor: string) =>
        store.commit(c, {
          opId,
          entry: { at: 1, actor, opId, type: 'probe', payload: null },
          expect: [{ ref: { kind: 'setup' }, version: -1 }],
          sheets: [],
          boards: [],
          result: null,
        });
      expect(await probe(first.opId, first.entry.actor)).toMatchObject({
        status: 'duplicate',
        result: { n: 1 },
      });
      expect(await probe(first.opId, 'judge:someone-else')).toEqual({ status: 'taken' });
      expect(await probe('never-used-op', first.entry.actor)).toEqual({ status: 'conflict' });
    });

    it('refuses a commit whose expected version is stale, changing nothing', async () => {
      await store.commit(c, commitOf({ sheets: [{ key: KEY, sheet: sheetWith('5') }] }));
      await putRows([['c1', '0050']]);
      const stale = commitOf({
        expect: [
          { ref: { kind: 'board', board: BOARD }, version: 1 },
          { ref: { kind: 'sheet', key: KEY }, version: 0 },
        ],
        sheets: [{ key: KEY, sheet: sheetWith('9') }],
        boards: [{ board: BOARD, rowId: 'c1', row: row('c1', '0001') }],
        control: { frozen: true },
      });
      expect(await store.commit(c, stale)).toEqual({ status: 'conflict' });
      expect(await store.getSheet(c, KEY)).toEqual({ value: sheetWith('5'), version: 1 });
      expect(await store.rankOf(c, BOARD, 'c1')).toMatchObject({ rankKey: '0050', rank: 1 });
      expect(await store.getControl(c)).toEqual({ value: {}, version: 0 });
      expect(await store.readLog(c, undefined, 10)).toHaveLength(2);
      // The refused opId was not remembered: the same operation may be retried after a re-read.
      const retried = await store.commit(c, {
        ...stale,
        expect: [{ ref: { kind: 'sheet', key: KEY }, version: 1 }],
      });
      expect(retried.status).toBe('committed');
    });

    it('applies a commit naming "after" only directly on top of that commit, else changes nothing', async () => {
      const first = commitOf({ sheets: [{ key: KEY, sheet: sheetWith('5') }] });
      expect((await store.commit(c, first)).status).toBe('committed');
      // Right behind the named commit: applies.
      const second = commitOf({
        after: first.opId,
        expect: [{ ref: { kind: 'sheet', key: KEY }, version: 1 }],
        sheets: [{ key: KEY, sheet: sheetWith('6') }],
      });
      expect((await store.commit(c, second)).status).toBe('committed');
      // Another commit came in between: refused although every expected version matches.
      const behindFirst = commitOf({
        after: first.opId,
        expect: [{ ref: { kind: 'sheet', key: KEY }, version: 2 }],
        sheets: [{ key: KEY, sheet: sheetWith('7') }],
      });
      expect(await store.commit(c, behindFirst)).toEqual({ status: 'conflict' });
      // Naming a commit that never applied (it conflicted): refused too.
      const refused = commitOf({ expect: [{ ref: { kind: 'sheet', key: KEY }, version: 0 }] });
      expect(await store.commit(c, refused)).toEqual({ status: 'conflict' });
      const behindRefused = commitOf({
        after: refused.opId,
        expect: [{ ref: { kind: 'sheet', key: KEY }, version: 2 }],
        sheets: [{ key: KEY, sheet: sheetWith('8') }],
      });
      expect(await store.commit(c, behindRefused)).toEqual({ status: 'conflict' });
      expect(await store.getSheet(c, KEY)).toEqual({ value: sheetWith('6'), version: 2 });
      expect(await store.readLog(c, undefined, 10)).toHaveLength(2);
    });

    it('shares ranks between exact ties (1, 2, 2, 4), ties ordered by row id', async () => {
      await putRows([
        ['d', '0030'],
        ['c', '0020'],
        ['a', '0010'],
        ['b', '0020'],
      ]);
      const top = await store.top(c, BOARD, 0, 10);
      expect(top.map((r) => [r.id, r.rank])).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 2],
        ['d', 4],
      ]);
      expect((await store.rankOf(c, BOARD, 'c'))?.rank).toBe(2);
      expect((await store.rankOf(c, BOARD, 'd'))?.rank).toBe(4);
      expect(await store.rankOf(c, BOARD, 'nobody')).toBeNull();
    });

    it('orders rank keys of different lengths as strings, a prefix first ("1" < "12" < "2")', async () => {
      await putRows([
        ['x', '2'],
        ['y', '12'],
        ['z', '1'],
        ['w', '12'],
      ]);
      const top = await store.top(c, BOARD, 0, 10);
      expect(top.map((r) => [r.id, r.rank])).toEqual([
        ['z', 1],
        ['w', 2],
        ['y', 2],
        ['x', 4],
      ]);
      expect((await store.rankOf(c, BOARD, 'x'))?.rank).toBe(4);
      expect((await store.rankOf(c, BOARD, 'y'))?.rank).toBe(2);
    });

    it('moves a row when its rank key changes and removes rows; an empty board is no longer listed', async () => {
      await putRows([
        ['a', '0010'],
        ['b', '0020'],
        ['c', '0030'],
      ]);
      await putRows([['c', '0005']]);
      expect((await store.top(c, BOARD, 0, 10)).map((r) => [r.id, r.rank])).toEqual([
        ['c', 1],
        ['a', 2],
        ['b', 3],
      ]);
      await store.commit(c, commitOf({ boards: [{ board: BOARD, rowId: 'a', row: null }] }));
      expect(await store.rankOf(c, BOARD, 'a')).toBeNull();
      expect(await store.boardSize(c, BOARD)).toBe(2);
      expect((await store.rankOf(c, BOARD, 'b'))?.rank).toBe(2);
      await store.commit(
        c,
        commitOf({
          boards: [
            { board: BOARD, rowId: 'b', row: null },
            { board: BOARD, rowId: 'c', row: null },
            { board: 'e1|overall|individual', rowId: 'c', row: row('c', '0001') },
          ],
        }),
      );
      expect(await store.boardSize(c, BOARD)).toBe(0);
      expect(await store.listBoards(c)).toEqual(['e1|overall|individual']);
    });

    it('applies several updates of one row in one commit in order, the last one winning', async () => {
      await store.commit(
        c,
        commitOf({
          boards: [
            { board: BOARD, rowId: 'a', row: row('a', '0030') },
            { board: BOARD, rowId: 'b', row: row('b', '0020') },
            { board: BOARD, rowId: 'a', row: row('a', '0010') },
            { board: BOARD, rowId: 'b', row: null },
            { board: BOARD, rowId: 'b', row: row('b', '0040') },
          ],
        }),
      );
      expect((await store.top(c, BOARD, 0, 10)).map((r) => [r.id, r.rankKey, r.rank])).toEqual([
        ['a', '0010', 1],
        ['b', '0040', 2],
      ]);
      expect(await store.getVersion(c, { kind: 'board', board: BOARD })).toBe(1);
    });

    it('pages a board from any offset with the ranks of the whole board', async () => {
      // 25 rows, every rank key shared by three rows except the last: ties cross page borders.
      const rows: Array<[string, string]> = [];
      for (let i = 0; i < 25; i++)
        rows.push([`row${String(i).padStart(2, '0')}`, String(Math.floor(i / 3)).padStart(4, '0')]);
      await putRows(rows);
      const all = await store.top(c, BOARD, 0, 100);
      expect(all).toHaveLength(25);
      expect(all.map((r) => r.rank).slice(0, 7)).toEqual([1, 1, 1, 4, 4, 4, 7]);
      for (const [offset, limit] of [
        [0, 10],
        [4, 5],
        [10, 10],
        [20, 10],
        [24, 1],
      ] as const) {
        expect(await store.top(c, BOARD, offset, limit)).toEqual(all.slice(offset, offset + limit));
      }
      expect((await store.top(c, BOARD, 4, 1))[0]?.rank).toBe(4);
      expect(await store.top(c, BOARD, 25, 10)).toEqual([]);
      expect(await store.top(c, BOARD, 0, 0)).toEqual([]);
      for (const r of all) expect(await store.rankOf(c, BOARD, r.id)).toEqual(r);
    });

    it('reads the log oldest first, after an exclusive id, in limited pieces', async () => {
      const ids: string[] = [];
      const opIds: string[] = [];
      for (let i = 0; i < 5; i++) {
        const commit = commitOf();
        opIds.push(commit.opId);
        const outcome = await store.commit(c, commit);
        if (outcome.status === 'committed') ids.push(outcome.logId);
      }
      const log = await store.readLog(c, undefined, 10);
      expect(log.map((e) => e.id)).toEqual(ids);
      expect(log.map((e) => e.opId)).toEqual(opIds);
      expect((await store.readLog(c, ids[1], 2)).map((e) => e.id)).toEqual([ids[2], ids[3]]);
      expect(await store.readLog(c, ids[4], 10)).toEqual([]);
      expect((await store.readLog(c, undefined, 2)).map((e) => e.id)).toEqual(ids.slice(0, 2));
    });

    it('takes 50 concurrent commits to different sheets: all commit, 50 log entries', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.commit(
            c,
            commitOf({
              expect: [{ ref: { kind: 'sheet', key: { ...KEY, contestantId: `c${i}` } }, version: 0 }],
              sheets: [{ key: { ...KEY, contestantId: `c${i}` }, sheet: sheetWith(String(i % 10)) }],
              boards: [{ board: BOARD, rowId: `c${i}`, row: row(`c${i}`, String(1000 - i)) }],
            }),
          ),
        ),
      );
      expect(outcomes.every((o) => o.status === 'committed')).toBe(true);
      expect(new Set(outcomes.map((o) => (o.status === 'committed' ? o.logId : ''))).size).toBe(50);
      expect(await store.readLog(c, undefined, 100)).toHaveLength(50);
      expect(await store.getSheets(c)).toHaveLength(50);
      expect(await store.boardSize(c, BOARD)).toBe(50);
      expect(await store.getVersion(c, { kind: 'board', board: BOARD })).toBe(50);
    });

    it('lets exactly one of several concurrent commits expecting the same version win', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.commit(
            c,
            commitOf({
              expect: [{ ref: { kind: 'sheet', key: KEY }, version: 0 }],
              sheets: [{ key: KEY, sheet: sheetWith(String(i)) }],
            }),
          ),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'committed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'conflict')).toHaveLength(9);
      expect((await store.getSheet(c, KEY)).version).toBe(1);
      expect(await store.readLog(c, undefined, 100)).toHaveLength(1);
    });

    it('removes a whole competition, after which its opIds are new again', async () => {
      const commit = commitOf({
        setup: setupNamed(c, 'Gone'),
        sheets: [{ key: KEY, sheet: sheetWith('1') }],
      });
      await store.commit(c, commit);
      await putRows([['a', '0001']]);
      await store.deleteCompetition(c);
      expect(await store.getSetup(c)).toEqual({ value: null, version: 0 });
      expect(await store.getSheets(c)).toEqual([]);
      expect(await store.listBoards(c)).toEqual([]);
      expect(await store.readLog(c, undefined, 10)).toEqual([]);
      expect(await store.listCompetitions()).not.toContain(c);
      expect((await store.commit(c, commit)).status).toBe('committed');
    });

    /** Everything a reader can see of competition `id`. */
    const everything = async (id: string) => ({
      setup: await store.getSetup(id),
      control: await store.getControl(id),
      sheets: await store.getSheets(id),
      boards: await store.listBoards(id),
      top: await store.top(id, BOARD, 0, 100),
      log: await store.readLog(id, undefined, 100),
      lastOp: await store.lastOp(id),
    });

    it('keeps a scratch space apart from its competition and out of the list (issue #12)', async () => {
      const s = scratchId(c);
      expect(await store.lastOp(c)).toBeNull();
      const live = commitOf({ setup: setupNamed(c, 'Live'), sheets: [{ key: KEY, sheet: sheetWith('5') }] });
      await store.commit(c, live);
      const before = await everything(c);
      expect(before.lastOp).toBe(live.opId);
      const built = commitOf({
        setup: setupNamed(c, 'Restored'),
        sheets: [{ key: KEY, sheet: sheetWith('7') }],
      });
      await store.commit(s, built);
      expect(await store.lastOp(s)).toBe(built.opId);
      expect(await everything(c)).toEqual(before);
      expect(await store.listCompetitions()).toContain(c);
      expect(await store.listCompetitions()).not.toContain(s);
      // Idempotency records are per space too: the live opId is new in the scratch space.
      expect((await store.commit(s, { ...live, setup: setupNamed(c, 'Restored') })).status).toBe('committed');
      await store.deleteCompetition(s);
      expect(await everything(c)).toEqual(before);
      expect(await store.getSetup(s)).toEqual({ value: null, version: 0 });
    });

    it('promotes a scratch space in place of its competition: all of it, versions above the old (issue #12)', async () => {
      const s = scratchId(c);
      await store.commit(c, commitOf({ setup: setupNamed(c, 'Old') }));
      for (let i = 0; i < 3; i++) {
        await store.commit(
          c,
          commitOf({
            sheets: [{ key: { ...KEY, contestantId: 'old' }, sheet: sheetWith(String(i)) }],
            boards: [{ board: BOARD, rowId: 'old', row: row('old', `000${i}`) }],
          }),
        );
      }
      const oldOnly = commitOf({ result: { old: true } });
      await store.commit(c, oldOnly);
      const lastOp = await store.lastOp(c);
      const oldBoardVersion = await store.getVersion(c, { kind: 'board', board: BOARD });
      expect(oldBoardVersion).toBe(3);

      const setup = commitOf({ setup: setupNamed(c, 'New'), control: { stage: 'restored' } });
      const restoredSetup = await store.commit(s, setup);
      const mark = commitOf({
        sheets: [{ key: KEY, sheet: sheetWith('9') }],
        boards: [{ board: BOARD, rowId: 'c1', row: row('c1', '0001') }],
        result: { restored: true },
      });
      const restoredMark = await store.commit(s, mark);
      const built = await everything(s);

      expect(await store.promoteScratch(c, lastOp)).toBe(true);
      const after = await everything(c);
      expect(after.setup.value).toEqual(setupNamed(c, 'New'));
      expect(after.control.value).toEqual({ stage: 'restored' });
      expect(after.sheets.map((x) => [x.key, x.sheet])).toEqual([[KEY, sheetWith('9')]]);
      expect(after.boards).toEqual([BOARD]);
      expect(after.top).toEqual(built.top);
      expect(after.log).toEqual(built.log);
      expect(after.lastOp).toBe(mark.opId);
      // Every version is above every version the competition had, so stale caches conflict.
      expect(after.setup.version).toBeGreaterThan(oldBoardVersion);
      expect(await store.getVersion(c, { kind: 'board', board: BOARD })).toBe(oldBoardVersion + 1);
      expect(await store.getVersion(c, { kind: 'sheet', key: { ...KEY, contestantId: 'old' } })).toBe(0);
      expect(await store.listCompetitions()).toContain(c);
      // The scratch space is empty again.
      expect(await everything(s)).toEqual({
        setup: { value: null, version: 0 },
        control: { value: {}, version: 0 },
        sheets: [],
        boards: [],
        top: [],
        log: [],
        lastOp: null,
      });
      // The idempotency records moved too: the restored opIds are duplicates, the old ones are new.
      expect(await store.commit(c, mark)).toEqual({
        status: 'duplicate',
        result: { restored: true },
        logId: restoredMark.status === 'committed' ? restoredMark.logId : '',
      });
      expect(restoredSetup.status).toBe('committed');
      expect((await store.commit(c, oldOnly)).status).toBe('committed');
    });

    it('refuses to promote when another commit came after the expected one, changing nothing (issue #12)', async () => {
      const s = scratchId(c);
      await store.commit(c, commitOf({ setup: setupNamed(c, 'Live') }));
      const expected = await store.lastOp(c);
      await store.commit(s, commitOf({ setup: setupNamed(c, 'Restored') }));
      // A mark arrives on another node while the restore replays.
      await store.commit(c, commitOf({ sheets: [{ key: KEY, sheet: sheetWith('5') }] }));
      const live = await everything(c);
      const scratch = await everything(s);
      expect(await store.promoteScratch(c, expected)).toBe(false);
      expect(await everything(c)).toEqual(live);
      expect(await everything(s)).toEqual(scratch);
      expect(await store.promoteScratch(c, null)).toBe(false);
      expect(await everything(c)).toEqual(live);
      await store.deleteCompetition(s);
    });

    it('promotes a scratch space onto a competition that never existed', async () => {
      const s = scratchId(c);
      await store.commit(s, commitOf({ setup: setupNamed(c, 'Fresh') }));
      expect(await store.promoteScratch(c, null)).toBe(true);
      expect((await store.getSetup(c)).value).toEqual(setupNamed(c, 'Fresh'));
      expect(await store.listCompetitions()).toContain(c);
    });

    it('keeps small records: put, get, list, overwrite, delete', async () => {
      const ns = `test.${c}`;
      expect(await store.getRecord(ns, 'k1')).toBeNull();
      await store.putRecord(ns, 'k1', { hash: 'abc', role: 'judge' });
      await store.putRecord(ns, 'k2', 'plain string');
      expect(await store.getRecord(ns, 'k1')).toEqual({ hash: 'abc', role: 'judge' });
      await store.putRecord(ns, 'k1', { hash: 'def', role: 'chief' });
      expect(await store.getRecord(ns, 'k1')).toEqual({ hash: 'def', role: 'chief' });
      const listed = await store.listRecords(ns);
      expect(listed.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: 'k1', value: { hash: 'def', role: 'chief' } },
        { id: 'k2', value: 'plain string' },
      ]);
      expect(await store.deleteRecord(ns, 'k1')).toBe(true);
      expect(await store.deleteRecord(ns, 'k1')).toBe(false);
      expect(await store.getRecord(ns, 'k1')).toBeNull();
      expect(await store.listRecords(ns)).toEqual([{ id: 'k2', value: 'plain string' }]);
      await expect(store.putRecord('bad:ns', 'x', 1)).rejects.toThrow(/namespace/);
      await expect(store.putRecord(ns, 'x', null)).rejects.toThrow(/null/);
      await store.deleteRecord(ns, 'k2');
    });

    it('forgets a record once its TTL has passed', async () => {
      const ns = `ttl.${c}`;
      await store.putRecord(ns, 'session', { user: 'o1' }, 0.3);
      await store.putRecord(ns, 'key', { user: 'o2' });
      expect(await store.getRecord(ns, 'session')).toEqual({ user: 'o1' });
      await new Promise((r) => setTimeout(r, 450));
      expect(await store.getRecord(ns, 'session')).toBeNull();
      expect(await store.listRecords(ns)).toEqual([{ id: 'key', value: { user: 'o2' } }]);
      expect(await store.deleteRecord(ns, 'session')).toBe(false);
      await store.deleteRecord(ns, 'key');
    });

    /** Subscribe to the change feed and wait until it delivers (a probe commit on another board). */
    async function subscribed(): Promise<{ deltas: BoardDelta[]; resyncs: number[]; stop: () => void }> {
      const deltas: BoardDelta[] = [];
      const resyncs: number[] = [];
      const stop = store.changes({ delta: (d) => deltas.push(d), resync: () => resyncs.push(1) });
      const probe = 'probe|r1|individual';
      for (let i = 0; !deltas.some((d) => d.competitionId === c && d.board === probe); i++) {
        if (i === 200) throw new Error('the change feed delivered nothing');
        await store.commit(
          c,
          commitOf({ boards: [{ board: probe, rowId: `p${i}`, row: row(`p${i}`, '5') }] }),
        );
        await new Promise((done) => setTimeout(done, 20));
      }
      return { deltas, resyncs, stop };
    }

    it('feeds every commit that touches boards as one delta per board, in commit order, with ranks before and after', async () => {
      const feed = await subscribed();
      await putRows([
        ['a', '10'],
        ['b', '20'],
      ]);
      await store.commit(
        c,
        commitOf({
          boards: [
            { board: BOARD, rowId: 'a', row: row('a', '30', '9.5') },
            { board: BOARD, rowId: 'c', row: { ...row('c', '05'), outcome: 'dns' } },
            { board: 'e1|overall|individual', rowId: 'a', row: row('a', '1') },
          ],
        }),
      );
      await store.commit(c, commitOf({ boards: [{ board: BOARD, rowId: 'b', row: null }] }));
      await store.commit(c, commitOf({ sheets: [{ key: KEY, sheet: sheetWith('7') }] }));
      const ofBoard = () => feed.deltas.filter((d) => d.competitionId === c && d.board === BOARD);
      await expect.poll(() => ofBoard().length).toBe(3);
      feed.stop();
      const [first, second, third] = ofBoard();
      expect(first).toEqual({
        competitionId: c,
        board: BOARD,
        prev: 0,
        version: 1,
        rows: [
          { ...row('a', '10'), rank: 1, previousRank: null, previousTotal: null },
          { ...row('b', '20'), rank: 2, previousRank: null, previousTotal: null },
        ],
        removed: [],
      });
      // a moves from first to third (behind b and the dns row c, which has no placing).
      expect(second).toMatchObject({ prev: 1, version: 2, removed: [] });
      expect(second?.rows).toEqual([
        { ...row('a', '30', '9.5'), rank: 3, previousRank: 1, previousTotal: '0' },
        { ...row('c', '05'), outcome: 'dns', rank: null, previousRank: null, previousTotal: null },
      ]);
      expect(third).toMatchObject({ prev: 2, version: 3, rows: [], removed: ['b'] });
      expect(
        feed.deltas.filter((d) => d.competitionId === c && d.board === 'e1|overall|individual'),
      ).toMatchObject([{ prev: 0, version: 1, rows: [{ id: 'a', rank: 1 }] }]);
      expect(feed.resyncs).toEqual([]);
    });

    it("feeds nothing of a restore's scratch space, nor after unsubscribing", async () => {
      const feed = await subscribed();
      await store.commit(
        scratchId(c),
        commitOf({ boards: [{ board: BOARD, rowId: 's', row: row('s', '1') }] }),
      );
      // A marker committed after it: once the marker arrives, a scratch delta would have.
      await store.commit(
        c,
        commitOf({ boards: [{ board: 'probe|r1|individual', rowId: 'm', row: row('m', '1') }] }),
      );
      await expect.poll(() => feed.deltas.some((d) => d.rows.some((r) => r.id === 'm'))).toBe(true);
      expect(feed.deltas.filter((d) => d.board === BOARD)).toEqual([]);
      feed.stop();
      await putRows([['late', '1']]);
      const marker = await subscribed();
      marker.stop();
      expect(feed.deltas.filter((d) => d.board === BOARD)).toEqual([]);
    });
  });
}
