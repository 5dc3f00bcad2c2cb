/**
 * Issue #17, stale ranks in deltas: rows a delta does not carry keep their old `rank`, so a
 * client that shows the rows' `rank` shows wrong places. docs/API.md says how to get the right
 * places (apply deltas, then rank every held row from `rankKey`); this test follows it literally
 * with the documented algorithm (examples/lib/board.mjs) over a real server and socket.io-client,
 * and checks every held row's place against a fresh snapshot after many random marks.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Actor } from '../../../server/domain/actor.ts';
import type { BoardDelta, BoardSnapshot, DeltaRow } from '../../../shared/events.ts';
import type { RankedRow } from '../../../shared/boards.ts';
import {
  applyDelta,
  deltaDecision,
  exactThrough,
  holdSnapshot,
  placesOf,
} from '../../../examples/lib/board.mjs';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  BOARD,
  closeSockets,
  connected,
  opId,
  ORGANISER,
  request,
  seedCompetition,
  uniqueCompetitionId,
} from './fixtures.ts';

/** A client that does exactly what docs/API.md "Keeping a board in sync" says. */
class DocumentedClient {
  held = new Map<string, RankedRow | DeltaRow>();
  version = 0;
  snapshot: BoardSnapshot | null = null;
  resubscribes = 0;

  constructor(
    private readonly socket: Socket,
    private readonly competitionId: string,
  ) {
    socket.on('board:delta', (delta: BoardDelta) => {
      if (delta.board !== BOARD || this.snapshot === null) return;
      const decision = deltaDecision(this.version, delta);
      if (decision === 'apply') {
        applyDelta(this.held, delta);
        this.version = delta.version;
      } else if (decision === 'gap') void this.subscribe();
    });
    socket.on('board:reset', () => void this.subscribe());
  }

  async subscribe(): Promise<void> {
    this.resubscribes += 1;
    const ack = await request<BoardSnapshot>(this.socket, 'board:subscribe', {
      competitionId: this.competitionId,
      board: BOARD,
    });
    if (!ack.ok) throw new Error(`subscribe failed: ${ack.code}`);
    this.snapshot = ack;
    this.held = holdSnapshot(ack);
    this.version = ack.version;
  }

  /** Place per row id, as the document says to compute it. */
  places(): Map<string, number> {
    return new Map(placesOf(this.held.values()).map((r) => [r.id, r.place]));
  }
}

const VALUES = [80, 80.5, 81, 81.5, 82, 90, 95];

describe.each([
  ['embedded', undefined],
  ['redis', inject('redisUrl')],
] as const)('a client following docs/API.md on the %s store', (_name, redisUrl) => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({ ...(redisUrl ? { redisUrl } : {}), coalesceMs: 50 });
  });
  afterAll(async () => {
    await podium.stop();
  });
  afterEach(() => closeSockets());

  it('shows every held row at its true place after many random marks (regression: stale ranks in deltas)', async () => {
    const id = uniqueCompetitionId();
    const contestants = 24;
    await seedCompetition(podium.service, id, contestants);
    const socket = await connected(podium.url, '/public');
    const client = new DocumentedClient(socket, id);
    await client.subscribe();
    const check = await connected(podium.url, '/public');

    // A seeded generator: the same marks every run, so a failure can be replayed.
    let seed = 17;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const judges: Actor[] = [
      { kind: 'judge', judgeId: 'j1', competitionId: id, role: 'judge' },
      { kind: 'judge', judgeId: 'chief', competitionId: id, role: 'chief' },
    ];
    let staleRowRanks = 0;
    for (let batch = 0; batch < 6; batch++) {
      for (let i = 0; i < 40; i++) {
        const contestantId = `c${1 + random(contestants)}`;
        if (random(25) === 0) {
          const outcome = (['dns', 'dnf', 'dsq', 'ok'] as const)[random(4)] ?? 'ok';
          await podium.service.execute(ORGANISER, {
            name: 'outcome.set',
            payload: { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1', contestantId, outcome },
          });
          continue;
        }
        const actor = judges[random(judges.length)] ?? ORGANISER;
        await podium.service.execute(actor, {
          name: 'marks.submit',
          payload: {
            opId: opId(),
            competitionId: id,
            eventId: 'e1',
            roundId: 'r1',
            contestantId,
            marks: { q: String(VALUES[random(VALUES.length)] ?? 80) },
          },
        });
      }
      const truth = await request<BoardSnapshot>(check, 'board:subscribe', {
        competitionId: id,
        board: BOARD,
      });
      if (!truth.ok) throw new Error(truth.code);
      await expect.poll(() => client.version, { timeout: 15_000 }).toBe(truth.version);
      expect(client.snapshot && exactThrough(client.snapshot)).toBeNull();
      const places = client.places();
      expect(places.size).toBe(truth.rows.length);
      for (const row of truth.rows) {
        expect({ id: row.id, place: places.get(row.id), total: client.held.get(row.id)?.total }).toEqual({
          id: row.id,
          place: row.rank,
          total: row.total,
        });
        if (client.held.get(row.id)?.rank !== row.rank) staleRowRanks += 1;
      }
    }
    // The rows' own `rank` fields do go stale (why the document says not to show them); the
    // computed places never did. (Logged, not asserted: it depends on coalescing.)
    console.log(`delta ranks: ${staleRowRanks} stale row ranks held, 0 wrong computed places`);
  });
  it('gives exact places for held rows up to the snapshot boundary on a board larger than one snapshot', async () => {
    const id = uniqueCompetitionId();
    const contestants = 1_010;
    await seedCompetition(podium.service, id, contestants);
    const judge: Actor = { kind: 'judge', judgeId: 'j1', competitionId: id, role: 'judge' };
    const submit = (contestantId: string, q: number) =>
      podium.service.execute(judge, {
        name: 'marks.submit',
        payload: {
          opId: opId(),
          competitionId: id,
          eventId: 'e1',
          roundId: 'r1',
          contestantId,
          marks: { q: String(q) },
        },
      });
    for (let i = 1; i <= contestants; i++) await submit(`c${i}`, 10 + (i % 180) / 2);
    const socket = await connected(podium.url, '/public');
    const client = new DocumentedClient(socket, id);
    await client.subscribe();
    expect(client.snapshot?.total).toBe(contestants);
    const bound = client.snapshot && exactThrough(client.snapshot);
    expect(bound).not.toBeNull();
    // Rows beyond the snapshot rise into it, rows inside fall out of it.
    for (let i = 0; i < 60; i++) await submit(`c${1 + ((i * 97) % contestants)}`, i % 2 ? 99.5 : 0);
    const check = await connected(podium.url, '/public');
    const truth = await request<BoardSnapshot>(check, 'board:subscribe', { competitionId: id, board: BOARD });
    if (!truth.ok) throw new Error(truth.code);
    await expect.poll(() => client.version, { timeout: 15_000 }).toBe(truth.version);
    const truePlace = new Map<string, number | null>();
    for (let offset = 0; offset < contestants; offset += 1000) {
      const page = await podium.service.boardSnapshot(id, BOARD, 'public', { offset, limit: 1000 });
      for (const row of page.rows) truePlace.set(row.id, row.rank);
    }
    let exact = 0;
    for (const row of placesOf(client.held.values())) {
      if (bound !== null && row.rankKey > bound) continue;
      expect({ id: row.id, place: row.place }).toEqual({ id: row.id, place: truePlace.get(row.id) });
      exact += 1;
    }
    expect(exact).toBeGreaterThan(900);
  });
});
