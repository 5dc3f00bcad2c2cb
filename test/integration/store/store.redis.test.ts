/** The store contract against RedisStore on the throwaway redis-server, plus Redis-only details. */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../../server/store/index.ts';
import { RedisStore } from '../../../server/store/redis/redisStore.ts';
import { scratchId } from '../../../server/store/types.ts';
import { commitOf, row, setupNamed, storeContract } from './contract.ts';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
});

storeContract('Redis', async () => {
  const store = new RedisStore(redis);
  const competitionId = `t-${randomUUID()}`;
  return {
    store,
    competitionId,
    async dispose() {
      await store.deleteCompetition(competitionId);
      await store.deleteCompetition(scratchId(competitionId));
      await store.close();
    },
  };
});

describe('RedisStore specifics', () => {
  it('keeps every key of a competition under its hash tag, and deleteCompetition leaves none', async () => {
    const store = new RedisStore(redis);
    const c = `t-${randomUUID()}`;
    await store.commit(
      c,
      commitOf({
        setup: setupNamed(c, 'Tags'),
        control: { stage: 'live' },
        boards: [{ board: 'e1|r1|individual', rowId: 'a', row: row('a', '0001') }],
      }),
    );
    const keys = await redis.keys(`*${c}*`);
    expect(keys.length).toBeGreaterThanOrEqual(7);
    for (const key of keys) expect(key.startsWith(`podium:{${c}}:`)).toBe(true);
    await store.deleteCompetition(c);
    expect(await redis.keys(`*${c}*`)).toEqual([]);
  });

  it("keeps a scratch space under the competition's hash tag and leaves no scratch key after promotion", async () => {
    const store = new RedisStore(redis);
    const c = `t-${randomUUID()}`;
    const listener = redis.duplicate();
    const heard: string[] = [];
    listener.on('pmessage', (_pattern: string, channel: string) => heard.push(channel));
    await listener.psubscribe(`podium:{${c}}*`);
    await store.commit(c, commitOf({ setup: setupNamed(c, 'Live') }));
    await store.commit(
      scratchId(c),
      commitOf({
        setup: setupNamed(c, 'Restored'),
        boards: [{ board: 'e1|r1|individual', rowId: 'a', row: row('a', '0001') }],
      }),
    );
    const scratchKeys = await redis.keys(`*${c}*restore*`);
    expect(scratchKeys.length).toBeGreaterThanOrEqual(6);
    for (const key of scratchKeys) expect(key.startsWith(`podium:{${c}}:restore:`)).toBe(true);
    expect(await redis.sismember('podium:competitions', scratchId(c))).toBe(0);
    // Nobody watches a scratch space: its commits publish no change message. (A live commit's
    // message marks the point by which one would have arrived.)
    await store.commit(
      c,
      commitOf({ boards: [{ board: 'e1|r1|individual', rowId: 'b', row: row('b', '0002') }] }),
    );
    await expect.poll(() => heard).toContain(`podium:{${c}}:changes`);
    expect(heard).toEqual([`podium:{${c}}:changes`]);
    await listener.quit();
    expect(await store.promoteScratch(c, await store.lastOp(c))).toBe(true);
    expect(await redis.keys(`*${c}*restore*`)).toEqual([]);
    expect(await store.rankOf(c, 'e1|r1|individual', 'a')).toMatchObject({ rank: 1 });
    await store.deleteCompetition(c);
    expect(await redis.keys(`*${c}*`)).toEqual([]);
  });

  it('still commits after the server forgot its scripts (EVALSHA falls back to EVAL)', async () => {
    const store = new RedisStore(redis);
    const c = `t-${randomUUID()}`;
    await redis.script('FLUSH');
    expect((await store.commit(c, commitOf())).status).toBe('committed');
    await redis.script('FLUSH');
    expect(await store.top(c, 'b', 0, 10)).toEqual([]);
    await store.deleteCompetition(c);
  });

  it('is what openStore returns when a Redis URL is given', async () => {
    const { store, description } = await openStore({ redisUrl: inject('redisUrl'), dataDir: '/nonexistent' });
    expect(store).toBeInstanceOf(RedisStore);
    expect(description).toMatch(/^Using Redis at redis:\/\/127\.0\.0\.1:\d+/);
    await store.close();
  });

  it('openStore fails with a clear message when Redis cannot be reached', async () => {
    await expect(openStore({ redisUrl: 'redis://127.0.0.1:1', dataDir: '/nonexistent' })).rejects.toThrow(
      /Could not connect to Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
  });
});
