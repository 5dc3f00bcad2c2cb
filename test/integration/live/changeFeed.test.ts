/**
 * The Redis change feed: what the commit script publishes is, commit for commit, the delta the
 * in-process store feeds for the same commands (rows, ranks, where each row was before, the
 * board's new version) — two implementations of Store.changes, one BoardDelta builder.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createLogger } from '../../../server/logger.ts';
import { MemoryStore, openStore } from '../../../server/store/index.ts';
import type { Store } from '../../../server/store/types.ts';
import { submitMarksSchema } from '../../../shared/commands.ts';
import { competitionSchema } from '../../../shared/model.ts';
import type { BoardDelta } from '../../../shared/events.ts';
import {
  BOARD,
  competitionInput,
  marks,
  opId,
  ORGANISER,
  seedCompetition,
  sleep,
  uniqueCompetitionId,
} from './fixtures.ts';

const judge = (competitionId: string, judgeId: string): Actor => ({
  kind: 'judge',
  judgeId,
  competitionId,
  role: judgeId === 'chief' ? 'chief' : 'judge',
});

describe('Redis change feed', () => {
  const redisUrl = inject('redisUrl');
  const logger = createLogger('silent');
  let store: Store;
  let service: ContestService;
  let redis: Redis;
  let stop: () => void;
  /** The same commands over an in-process store. */
  const memory = new MemoryStore();
  const memoryService = new ContestService({ store: memory, logger });
  const fromFeed: BoardDelta[] = [];
  let resyncs = 0;

  beforeAll(async () => {
    store = (await openStore({ redisUrl, dataDir: 'unused' })).store;
    service = new ContestService({ store, logger });
    redis = new Redis(redisUrl);
    stop = store.changes({ delta: (d) => fromFeed.push(d), resync: () => resyncs++ });
    await sleep(200); // let the subscription settle
  });
  afterAll(async () => {
    stop?.();
    await memory.close();
    await redis?.quit();
    await store?.close();
  });

  async function submit(
    on: ContestService,
    id: string,
    judgeId: string,
    contestantId: string,
    q: number,
  ): Promise<void> {
    const payload = submitMarksSchema.parse(marks(id, contestantId, q));
    await on.execute(judge(id, judgeId), { name: 'marks.submit', payload });
  }

  it('publishes, in commit order, the same deltas the in-process store feeds', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id, 4);
    await seedCompetition(memoryService, id, 4);
    const fromMemory: BoardDelta[] = [];
    const unsubscribe = memory.changes({ delta: (d) => fromMemory.push(d), resync: () => undefined });
    try {
      for (const on of [service, memoryService]) {
        await submit(on, id, 'j1', 'c1', 90);
        await submit(on, id, 'j1', 'c2', 95);
        await submit(on, id, 'chief', 'c1', 100);
        await submit(on, id, 'j1', 'c3', 80.5);
      }
      await expect.poll(() => fromMemory.filter((d) => d.board === BOARD).length).toBe(4);
    } finally {
      unsubscribe();
    }
    await expect
      .poll(() => fromFeed.filter((d) => d.competitionId === id && d.board === BOARD).length)
      .toBe(4);

    const published = fromFeed.filter((d) => d.competitionId === id && d.board === BOARD);
    expect(published).toEqual(fromMemory.filter((d) => d.board === BOARD));
    expect(published.map((d) => [d.prev, d.version])).toEqual([
      [published[0]!.prev, published[0]!.prev + 1],
      [published[0]!.prev + 1, published[0]!.prev + 2],
      [published[0]!.prev + 2, published[0]!.prev + 3],
      [published[0]!.prev + 3, published[0]!.prev + 4],
    ]);
    // The chief's mark lifts c1 (mean of 90 and 100) from second place to a tie with c2.
    const climb = published[2]!.rows.find((r) => r.id === 'c1');
    expect(climb).toMatchObject({ previousRank: 2, previousTotal: '90.00', total: '95.00' });
    expect(published[1]!.rows.find((r) => r.id === 'c2')).toMatchObject({
      rank: 1,
      previousRank: null,
      previousTotal: null,
    });
    expect(resyncs).toBe(0);
  });

  it('publishes rows that leave a board as removed, with the version the commit gave the board', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id, 3);
    await submit(service, id, 'j1', 'c3', 70);
    // A set-up change that drops contestant c3 takes its row off the board.
    const competition = competitionSchema.parse(competitionInput(id, 2));
    await service.execute(ORGANISER, { name: 'setup.put', payload: { opId: opId(), competition } });

    const version = await store.getVersion(id, { kind: 'board', board: BOARD });
    await expect
      .poll(() => fromFeed.find((d) => d.competitionId === id && d.version === version))
      .toBeDefined();
    const last = fromFeed.find((d) => d.competitionId === id && d.board === BOARD && d.version === version);
    expect(last).toMatchObject({ prev: version - 1, rows: [], removed: ['c3'] });
    expect(await store.rankOf(id, BOARD, 'c3')).toBeNull();
  });
});
