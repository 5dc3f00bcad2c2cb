/**
 * Several nodes: two real Podium PROCESSES sharing one Redis. A mark submitted on one reaches a
 * viewer on the other, and the audience count covers both.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuthServiceImpl } from '../../../server/auth/service.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createLogger } from '../../../server/logger.ts';
import { openStore } from '../../../server/store/index.ts';
import type { Store } from '../../../server/store/types.ts';
import type { AudienceUpdate, BoardDelta, BoardSnapshot, CommandResult } from '../../../shared/events.ts';
import { spawnPodium, type PodiumProcess } from '../../support/podium-server.ts';
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
} from './fixtures.ts';

describe('two Podium processes sharing one Redis', () => {
  const redisUrl = inject('redisUrl');
  let store: Store;
  let auth: AuthServiceImpl;
  let service: ContestService;
  let nodeA: PodiumProcess;
  let nodeB: PodiumProcess;

  beforeAll(async () => {
    const logger = createLogger('silent');
    store = (await openStore({ redisUrl, dataDir: 'unused' })).store;
    service = new ContestService({ store, logger });
    auth = new AuthServiceImpl({ store, logger });
    [nodeA, nodeB] = await Promise.all([spawnPodium({ redisUrl }), spawnPodium({ redisUrl })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await store?.close();
  });
  afterEach(() => closeSockets());

  it('delivers a mark submitted on node A to a viewer on node B', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id);
    const { code } = await auth.issueJudgeCode(id, 'j1');
    const { token } = await auth.signInJudge(code, '127.0.0.1');

    const screen = await connected(nodeB.url, '/public');
    const snapshot = await request<BoardSnapshot>(screen, 'board:subscribe', {
      competitionId: id,
      board: BOARD,
    });
    expect(snapshot.ok).toBe(true);
    const delta = next<BoardDelta>(screen, 'board:delta');

    const tablet = await connected(nodeA.url, '/judge', { auth: { token } });
    const ack = await request<CommandResult>(tablet, 'cmd:marks.submit', marks(id, 'c1', '91.5'));
    expect(ack).toMatchObject({ ok: true, duplicate: false });

    const d = await delta;
    expect(rowOf(d, 'c1')).toMatchObject({ total: '91.50', rank: 1 });
    expect(snapshot.ok && d.prev).toBe(snapshot.ok && snapshot.version);
  });

  it('counts spectators on both nodes in the audience', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id);
    const watchers = await Promise.all([nodeA, nodeA, nodeB].map((n) => connected(n.url, '/public')));
    for (const w of watchers)
      expect((await request(w, 'competition:watch', { competitionId: id })).ok).toBe(true);
    const onB = watchers[2]!;
    const update = await next<AudienceUpdate>(
      onB,
      'audience',
      (u) => u.competitionId === id && u.count === 3,
      12_000,
    );
    expect(update.count).toBe(3);
  });
});
