/**
 * Fan-out across nodes: two real Podium PROCESSES sharing one Redis, marks submitted on both at
 * once to the same board. A viewer on either node gets one unbroken chain of deltas ending at the
 * store's board; a version the nodes never heard of turns into 'board:reset', not a false delta.
 */
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuthServiceImpl } from '../../../server/auth/service.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createLogger } from '../../../server/logger.ts';
import { openStore } from '../../../server/store/index.ts';
import { CompetitionKeys } from '../../../server/store/redis/keys.ts';
import type { Store } from '../../../server/store/types.ts';
import type { RankedRow } from '../../../shared/boards.ts';
import type { BoardDelta, BoardSnapshot, CommandResult } from '../../../shared/events.ts';
import { rankRows } from '../../../shared/scoring/index.ts';
import { spawnPodium, type PodiumProcess } from '../../support/podium-server.ts';
import {
  BOARD,
  closeSockets,
  collect,
  connected,
  marks,
  next,
  request,
  seedCompetition,
  sleep,
  uniqueCompetitionId,
} from './fixtures.ts';

const CONTESTANTS = 12;

/** A viewer's board as it follows deltas, with every break in the version chain it saw. */
interface Viewer {
  socket: Socket;
  version: number;
  rows: Map<string, RankedRow>;
  breaks: string[];
  resets: number;
}

async function watch(url: string, competitionId: string): Promise<Viewer> {
  const socket = await connected(url, '/public');
  const snapshot = await request<BoardSnapshot>(socket, 'board:subscribe', { competitionId, board: BOARD });
  if (!snapshot.ok) throw new Error(snapshot.message);
  const viewer: Viewer = {
    socket,
    version: snapshot.version,
    rows: new Map(snapshot.rows.map((r) => [r.id, r])),
    breaks: [],
    resets: 0,
  };
  socket.on('board:reset', () => viewer.resets++);
  socket.on('board:delta', (d: BoardDelta) => {
    if (d.prev !== viewer.version) viewer.breaks.push(`${viewer.version} then ${d.prev}→${d.version}`);
    viewer.version = d.version;
    for (const id of d.removed) viewer.rows.delete(id);
    for (const row of d.rows) viewer.rows.set(row.id, row);
  });
  return viewer;
}

/** Rows as a spectator compares them: ranked from rank keys, without delta-only fields. */
function shown(rows: Iterable<RankedRow>): RankedRow[] {
  return rankRows(
    [...rows].map(({ id, total, complete, outcome, rankKey }) => ({ id, total, complete, outcome, rankKey })),
  );
}

describe('fan-out across two Podium processes', () => {
  const redisUrl = inject('redisUrl');
  let store: Store;
  let auth: AuthServiceImpl;
  let service: ContestService;
  let redis: Redis;
  let nodeA: PodiumProcess;
  let nodeB: PodiumProcess;

  beforeAll(async () => {
    const logger = createLogger('silent');
    store = (await openStore({ redisUrl, dataDir: 'unused' })).store;
    service = new ContestService({ store, logger });
    auth = new AuthServiceImpl({ store, logger });
    redis = new Redis(redisUrl);
    [nodeA, nodeB] = await Promise.all([spawnPodium({ redisUrl }), spawnPodium({ redisUrl })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await redis?.quit();
    await store?.close();
  });
  afterEach(() => closeSockets());

  /** Drop the change-feed connections of these nodes (named after their pids) in Redis. */
  async function killChangeSubscriptions(nodes: PodiumProcess[]): Promise<void> {
    const names = new Set(nodes.map((n) => `podium:changes:${n.child.pid}`));
    const list = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const ids = list
      .split('\n')
      .map((line) => ({ id: /\bid=(\d+)/.exec(line)?.[1], name: /\bname=(\S*)/.exec(line)?.[1] }))
      .filter((c) => c.id !== undefined && c.name !== undefined && names.has(c.name));
    expect(ids).toHaveLength(nodes.length);
    for (const { id } of ids) await redis.call('CLIENT', 'KILL', 'ID', id!);
  }

  async function tablet(node: PodiumProcess, competitionId: string, judgeId: string): Promise<Socket> {
    const { code } = await auth.issueJudgeCode(competitionId, judgeId);
    const { token } = await auth.signInJudge(code, '127.0.0.1');
    return connected(node.url, '/judge', { auth: { token } });
  }

  it('gives viewers on both nodes a gap-free chain ending at the stored board', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id, CONTESTANTS);
    const viewers = [await watch(nodeA.url, id), await watch(nodeB.url, id)];
    const [onA, onB] = [await tablet(nodeA, id, 'j1'), await tablet(nodeB, id, 'chief')];

    // Both judges mark every contestant at the same time, in opposite orders, twice over.
    const submitAll = async (socket: Socket, order: number[], base: number) => {
      for (const [round, offset] of [0, 7].entries()) {
        for (const c of order) {
          const score = ((base + c * 13 + offset + round) % 90) + 10;
          const ack = await request<CommandResult>(socket, 'cmd:marks.submit', marks(id, `c${c}`, score));
          expect(ack.ok ? 'ok' : `${ack.code}: ${ack.message}`).toBe('ok');
          await sleep(70); // a judge may send at most 20 writes a second
        }
      }
    };
    const ascending = Array.from({ length: CONTESTANTS }, (_, i) => i + 1);
    await Promise.all([submitAll(onA, ascending, 3), submitAll(onB, [...ascending].reverse(), 5)]);

    const final = await store.getVersion(id, { kind: 'board', board: BOARD });
    for (const viewer of viewers) {
      await expect.poll(() => viewer.version, { timeout: 10_000 }).toBe(final);
    }
    const stored = await store.top(id, BOARD, 0, CONTESTANTS);
    for (const viewer of viewers) {
      expect(viewer.breaks).toEqual([]);
      expect(viewer.resets).toBe(0);
      expect(shown(viewer.rows.values())).toEqual(stored);
    }
  }, 60_000);

  it('turns a version the nodes never heard of into board:reset', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id, 3);
    const viewers = [await watch(nodeA.url, id), await watch(nodeB.url, id)];
    const judge = await tablet(nodeA, id, 'j1');
    const deltas = viewers.map((v) => collect<BoardDelta>(v.socket, 'board:delta'));
    expect((await request(judge, 'cmd:marks.submit', marks(id, 'c1', 50))).ok).toBe(true);
    await expect.poll(() => deltas.map((d) => d.length)).toEqual([1, 1]);

    // A commit whose change message was lost: the board's version moves, nobody is told.
    await redis.hincrby(new CompetitionKeys(id).versions, `board:${BOARD}`, 1);
    const resets = viewers.map((v) =>
      next(v.socket, 'board:reset', (r: { competitionId: string }) => r.competitionId === id),
    );
    expect((await request(judge, 'cmd:marks.submit', marks(id, 'c2', 60))).ok).toBe(true);
    await Promise.all(resets);
    // The change after the hole is not passed off as a delta: only the first one ever arrived.
    expect(deltas.map((d) => d.length)).toEqual([1, 1]);

    // The chain resumes from the version after the hole.
    expect((await request(judge, 'cmd:marks.submit', marks(id, 'c3', 70))).ok).toBe(true);
    const final = await store.getVersion(id, { kind: 'board', board: BOARD });
    await expect.poll(() => deltas.map((d) => d.at(-1)?.version)).toEqual([final, final]);
    for (const d of deltas) expect(d.at(-1)?.prev).toBe(final - 1);
  }, 30_000);

  it('resets the boards that moved while a node was cut off from the change channel', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(service, id, 3);
    const viewers = [await watch(nodeA.url, id), await watch(nodeB.url, id)];
    const judge = await tablet(nodeA, id, 'j1');
    expect((await request(judge, 'cmd:marks.submit', marks(id, 'c1', 50))).ok).toBe(true);
    const seen = await store.getVersion(id, { kind: 'board', board: BOARD });
    await expect.poll(() => viewers.map((v) => v.version)).toEqual([seen, seen]);

    // The board moves unannounced and the nodes' subscriptions are cut; nothing else is committed.
    const resets = viewers.map((v) =>
      next(v.socket, 'board:reset', (r: { competitionId: string }) => r.competitionId === id, 10_000),
    );
    await redis.hincrby(new CompetitionKeys(id).versions, `board:${BOARD}`, 1);
    await killChangeSubscriptions([nodeA, nodeB]);
    await Promise.all(resets);
  }, 30_000);
});
