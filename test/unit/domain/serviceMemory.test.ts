/**
 * ContestService over the in-memory store: the command path end to end (authorise, plan, commit,
 * change feed) without Redis or files, fast enough for the unit tier.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import type { BoardDelta } from '../../../shared/events.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { ContestService, type ChangeNotification } from '../../../server/domain/service.ts';
import { MemoryStore } from '../../../server/store/memory/memoryStore.ts';
import { fixture, judge, organiser } from './fixture.ts';

const BOARD = 'lathe|r1|individual';
let opCount = 0;
const op = (): string => `op-${++opCount}`;

function mark(contestantId: string, marks: Record<string, string>, opId = op()): Command {
  return {
    name: 'marks.submit',
    payload: { opId, competitionId: 'cup', eventId: 'lathe', roundId: 'r1', contestantId, marks },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof PodiumError) return err.code;
    throw err;
  }
}

describe('ContestService over MemoryStore', () => {
  let store: MemoryStore;
  let service: ContestService;
  let deltas: BoardDelta[];

  beforeEach(async () => {
    store = new MemoryStore();
    service = new ContestService({ store });
    await service.execute(organiser, { name: 'setup.put', payload: { opId: op(), competition: fixture() } });
    await service.execute(organiser, {
      name: 'round.state',
      payload: { opId: op(), competitionId: 'cup', eventId: 'lathe', roundId: 'r1', state: 'open' },
    });
    deltas = [];
    store.changes({ delta: (d) => deltas.push(d), resync: () => undefined });
  });

  it("puts a judge's mark on the round board and feeds the board's delta", async () => {
    const result = await service.execute(judge('j2'), mark('c1', { a: '8', b: '4' }));
    expect(result.duplicate).toBe(false);
    const rows = await store.top('cup', BOARD, 0, 10);
    expect(rows.map((r) => ({ id: r.id, rank: r.rank, complete: r.complete }))).toEqual([
      { id: 'c1', rank: 1, complete: false },
    ]);
    await expect.poll(() => deltas.filter((d) => d.board === BOARD).length).toBe(1);
    const delta = deltas.find((d) => d.board === BOARD);
    expect(delta).toMatchObject({ competitionId: 'cup', prev: 0, version: 1, removed: [] });
    expect(delta?.rows).toMatchObject([{ id: 'c1', rank: 1, previousRank: null, previousTotal: null }]);
  });

  it('answers a repeated opId with the first result, writes nothing twice, and refuses it to another judge', async () => {
    const command = mark('c1', { a: '8', b: '4' });
    const first = await service.execute(judge('j2'), command);
    const entries = (await store.readLog('cup', undefined, 100)).length;
    const again = await service.execute(judge('j2'), command);
    expect(again).toMatchObject({ duplicate: true, logId: first.logId, sheet: first.sheet });
    expect((await store.readLog('cup', undefined, 100)).length).toBe(entries);
    expect(await store.getVersion('cup', { kind: 'board', board: BOARD })).toBe(1);
    expect(await codeOf(service.execute(judge('j3'), command))).toBe('op_id_conflict');
    expect((await store.readLog('cup', undefined, 100)).length).toBe(entries);
  });

  it('refuses a mark from a judge of another event and changes nothing', async () => {
    const before = (await store.readLog('cup', undefined, 100)).length;
    expect(await codeOf(service.execute(judge('wj', 'chief'), mark('c1', { a: '8', b: '4' })))).toBe(
      'forbidden',
    );
    expect((await store.readLog('cup', undefined, 100)).length).toBe(before);
    expect(await store.listBoards('cup')).toEqual([]);
    expect(deltas).toEqual([]);
  });

  it('notifies the service listeners of a mark without board rows (those are the store feed)', async () => {
    const changes: ChangeNotification[] = [];
    service.onChange((c) => changes.push(c));
    await service.execute(judge('j2'), mark('c2', { a: '6', b: '3' }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ competitionId: 'cup', reset: [] });
    expect(changes[0]?.sheetChange?.key).toEqual({ eventId: 'lathe', roundId: 'r1', contestantId: 'c2' });
  });
});
