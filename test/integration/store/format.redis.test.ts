/**
 * Stored-data format in Redis (regression: Redis keys carried no format version): on its own
 * throwaway redis-server (the key is global), a new Redis is stamped, a newer format is refused
 * with a message and left alone, and format-1 data — written by the store's write path without
 * the format key, as Podium did before versions — is migrated and reads back exactly.
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateJudging } from '../../../server/demo/simulate.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { openStore } from '../../../server/store/index.ts';
import { RedisStore } from '../../../server/store/redis/redisStore.ts';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.ts';
import { allBoards, ORGANISER, putSetup, smallCompetition } from '../domain/helpers.ts';

let server: RedisServerHandle;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
  server.cleanup();
});
beforeEach(async () => {
  await redis.flushdb();
});

function collectingLogger(): { lines: string[]; warn(m: string): void; info(m: string): void } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(`warn: ${m}`), info: (m) => lines.push(`info: ${m}`) };
}

describe('Redis store format', () => {
  it('stamps podium:format = 2 on a Redis without Podium data', async () => {
    const { store } = await openStore({
      redisUrl: server.url,
      dataDir: 'unused',
      logger: collectingLogger(),
    });
    await store.close();
    expect(await redis.get('podium:format')).toBe('2');
  });

  it('refuses a newer format with a message naming both formats and what to do, and changes nothing', async () => {
    await redis.set('podium:format', '3');
    await redis.set('podium:{c}:setup', '{"from":"the future"}');
    await expect(openStore({ redisUrl: server.url, dataDir: 'unused' })).rejects.toThrow(
      /Redis holds stored-data format 3, but this build of Podium reads formats up to 2\. .*newer Podium\. Run that version .*restore the backup taken before the upgrade/,
    );
    expect(await redis.get('podium:format')).toBe('3');
    expect((await redis.keys('*')).sort()).toEqual(['podium:format', 'podium:{c}:setup']);
  });

  it('migrates format-1 data (no podium:format) with a logged step: same boards, zero rebuild differences', async () => {
    // The write path of format 1: the store and the service, without openStore's format step.
    const old = new RedisStore(server.url);
    const service = new ContestService({ store: old });
    const setup = smallCompetition(4);
    await service.execute(ORGANISER, putSetup(setup));
    await simulateJudging(service, setup, { roundId: 'prelim', eventIds: ['welding'], runId: 'f1' });
    await old.putRecord('auth', 'o1', { hash: 'h' });
    const boards = await allBoards(old, setup.id);
    const sheets = await old.getSheets(setup.id);
    await old.close();
    expect(await redis.get('podium:format')).toBeNull();

    const logger = collectingLogger();
    const { store } = await openStore({ redisUrl: server.url, dataDir: 'unused', logger });
    expect(logger.lines.join('\n')).toMatch(/info: Migrating the Redis store from stored-data format 1 to 2/);
    expect(logger.lines.join('\n')).toMatch(
      /info: Migrated the Redis store to stored-data format 2 in \d+ ms/,
    );
    expect(await redis.get('podium:format')).toBe('2');
    expect(await allBoards(store, setup.id)).toEqual(boards);
    expect(await store.getSheets(setup.id)).toEqual(sheets);
    expect(await store.getRecord('auth', 'o1')).toEqual({ hash: 'h' });
    const report = await rebuild(store, setup.id);
    expect(report.entries).toBeGreaterThan(20);
    expect(report.differences).toEqual([]);
    await store.close();

    const quiet = collectingLogger();
    const { store: again } = await openStore({ redisUrl: server.url, dataDir: 'unused', logger: quiet });
    expect(quiet.lines).toEqual([]);
    await again.close();
  });

  it('lets several nodes start at once on format-1 data: one migrates, all open', async () => {
    await redis.set('podium:rec:{auth}:x', '{}');
    const loggers = [collectingLogger(), collectingLogger(), collectingLogger()];
    const opened = await Promise.all(
      loggers.map((logger) => openStore({ redisUrl: server.url, dataDir: 'unused', logger })),
    );
    await Promise.all(opened.map(({ store }) => store.close()));
    expect(await redis.get('podium:format')).toBe('2');
    expect(await redis.get('podium:format:migrating')).toBeNull();
    const migrations = loggers.flatMap((l) => l.lines).filter((line) => line.includes('Migrating'));
    expect(migrations).toHaveLength(1);
  });
});
