/**
 * Podium on a real Redis Cluster (three masters started here, REDIS_URL=redis+cluster://…): two
 * Podium processes carry commits, rankings and the fan-out; a competition's keys share one slot;
 * when the viewer's node dies, the viewer re-subscribes on the other and has every mark.
 */
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthServiceImpl } from '../../../server/auth/service.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createLogger } from '../../../server/logger.ts';
import { openStore } from '../../../server/store/index.ts';
import type { Store } from '../../../server/store/types.ts';
import type { BoardDelta, BoardSnapshot, CommandResult } from '../../../shared/events.ts';
import { spawnPodium, type PodiumProcess } from '../../support/podium-server.ts';
import { startRedisCluster, type RedisClusterHandle } from '../../support/redis-cluster.ts';
import {
  BOARD,
  closeSockets,
  connected,
  marks,
  next,
  request,
  rowOf,
  seedCompetition,
  uniqueCompetitionId,
} from '../live/fixtures.ts';

describe('two Podium processes on a three-master Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let admin: Cluster;
  let store: Store;
  let auth: AuthServiceImpl;
  let service: ContestService;
  let nodeA: PodiumProcess;
  let nodeB: PodiumProcess;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    const redisUrl = `redis+cluster://${cluster.addresses[0]}`;
    admin = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[1]!.port }]);
    const logger = createLogger('silent');
    store = (await openStore({ redisUrl, dataDir: 'unused' })).store;
    service = new ContestService({ store, logger });
    auth = new AuthServiceImpl({ store, logger });
    // One after the other: two tsx start-ups at once can pass spawnPodium's 20 s on a loaded machine.
    nodeA = await spawnPodium({ redisUrl });
    nodeB = await spawnPodium({ redisUrl });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await store?.close();
    await admin?.quit();
    await cluster?.stop();
  });
  afterEach(() => closeSockets());

  async function judgeOn(url: string, competitionId: string) {
    const { code } = await auth.issueJudgeCode(competitionId, 'j1');
    const { token } = await auth.signInJudge(code, '127.0.0.1');
    return connected(url, '/judge', { auth: { token } });
  }

  it('keeps every key of a competition in one slot, on one master', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id);
    const tablet = await judgeOn(nodeA.url, id);
    expect(await request<CommandResult>(tablet, 'cmd:marks.submit', marks(id, 'c1', '7'))).toMatchObject({
      ok: true,
    });
    const owners: string[] = [];
    const keys: string[] = [];
    for (const master of admin.nodes('master')) {
      const found = await master.keys(`podium:{${id}}:*`);
      keys.push(...found);
      if (found.length > 0) owners.push(`${master.options.host}:${master.options.port}`);
    }
    expect(keys.length).toBeGreaterThan(4);
    const slots = new Set(await Promise.all(keys.map((k) => admin.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
    expect(owners).toHaveLength(1);
  });

  it('commits on node A, ranks, and fans out to a viewer on node B', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id);
    const screen = await connected(nodeB.url, '/public');
    const snapshot = await request<BoardSnapshot>(screen, 'board:subscribe', {
      competitionId: id,
      board: BOARD,
    });
    expect(snapshot.ok).toBe(true);
    const tablet = await judgeOn(nodeA.url, id);

    const first = next<BoardDelta>(screen, 'board:delta', (d) => rowOf(d, 'c1') !== undefined);
    await request<CommandResult>(tablet, 'cmd:marks.submit', marks(id, 'c1', '6'));
    expect(rowOf(await first, 'c1')).toMatchObject({ total: '6.00', rank: 1 });

    const second = next<BoardDelta>(screen, 'board:delta', (d) => rowOf(d, 'c2') !== undefined);
    await request<CommandResult>(tablet, 'cmd:marks.submit', marks(id, 'c2', '9'));
    expect(rowOf(await second, 'c2')).toMatchObject({ total: '9.00', rank: 1 });
    const ranked = await store.top(id, BOARD, 0, 10);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['c2', 1],
      ['c1', 2],
    ]);
  });

  it("loses nothing when the viewer's node dies: the viewer re-subscribes on the other node", async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id);
    const screen = await connected(nodeB.url, '/public');
    expect(
      (await request<BoardSnapshot>(screen, 'board:subscribe', { competitionId: id, board: BOARD })).ok,
    ).toBe(true);
    const tablet = await judgeOn(nodeA.url, id);
    await request<CommandResult>(tablet, 'cmd:marks.submit', marks(id, 'c1', '5'));

    const gone = new Promise<void>((resolve) => screen.once('disconnect', () => resolve()));
    await nodeB.stop('SIGKILL');
    await gone;
    // Marks committed while the viewer has no node at all.
    for (const [contestant, q] of [
      ['c2', '8'],
      ['c3', '3'],
      ['c1', '9.5'],
    ] as const) {
      expect(
        await request<CommandResult>(tablet, 'cmd:marks.submit', marks(id, contestant, q)),
      ).toMatchObject({
        ok: true,
      });
    }

    const again = await connected(nodeA.url, '/public');
    const snapshot = await request<BoardSnapshot>(again, 'board:subscribe', {
      competitionId: id,
      board: BOARD,
    });
    if (!snapshot.ok) throw new Error('subscribe refused');
    expect(snapshot.rows.map((r) => [r.id, r.total, r.rank])).toEqual([
      ['c1', '9.50', 1],
      ['c2', '8.00', 2],
      ['c3', '3.00', 3],
    ]);
  });
});
