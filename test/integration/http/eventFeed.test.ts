/**
 * Issue #17, event feed: a real HTTP client reads NDJSON lines while marks are submitted,
 * disconnects, resumes with since_token and gets exactly the missed lines (no duplicates); the
 * public feed respects freeze and embargo like the public board; keep-alives arrive; floods of
 * connections are bounded per address and in total.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import type { Command } from '../../../shared/commands.ts';
import type { FeedLine } from '../../../shared/feed.ts';
import { feedLineSchema } from '../../../shared/feed.ts';
import { placesOf } from '../../../examples/lib/board.mjs';
import type { BoardResults } from '../../../shared/results.ts';
import { openFeed, type FeedReader } from './feedClient.ts';
import {
  putSetup,
  sampleCompetition,
  startApi,
  uniqueId,
  type Api,
  ORGANISER,
  runCommand,
  submitMarks,
  openRound,
} from './harness.ts';

const BOARD = 'weld|r1|individual';
const CONTESTANTS = ['A001', 'A002', 'A003', 'A004', 'A005', 'A006'];

describe.each([
  ['redis', inject('redisUrl')],
  ['embedded', undefined],
] as const)('event feed on the %s store', (_name, redisUrl) => {
  let api: Api;
  let organiser: string;
  const open: FeedReader[] = [];

  beforeAll(async () => {
    api = await startApi({
      ...(redisUrl === undefined ? {} : { redisUrl }),
      feed: { keepAliveMs: 150, pollMs: 100 },
    });
    organiser = await api.organiserToken();
  });
  afterEach(() => {
    for (const feed of open.splice(0)) feed.close();
  });
  afterAll(async () => api.stop());

  async function feed(id: string, query = '', token?: string): Promise<FeedReader> {
    const reader = await openFeed(
      `${api.url}/api/competitions/${id}/event-feed${query}`,
      token === undefined ? {} : { authorization: `Bearer ${token}` },
    );
    open.push(reader);
    return reader;
  }

  async function competition(): Promise<string> {
    const id = uniqueId('feed');
    await putSetup(
      api,
      organiser,
      sampleCompetition(id, {
        contestants: CONTESTANTS.map((c) => ({
          id: c,
          eventId: 'weld',
          bib: c,
          name: `选手 ${c}`,
          organisation: '一厂',
          region: '江苏',
        })),
      }),
    );
    await openRound(api, id);
    return id;
  }

  async function run(command: Command, actor: Actor = ORGANISER): Promise<string> {
    return runCommand(api, command, actor);
  }

  function mark(id: string, contestantId: string, quality: number, judgeId = 'j1'): Promise<string> {
    return submitMarks(api, {
      competitionId: id,
      contestantId,
      judgeId,
      marks: { quality: String(quality) },
    });
  }

  /** The board a feed reader holds: the last `boards` line, then every later `rows` line applied. */
  function heldBoard(
    lines: FeedLine[],
    board: string,
  ): Map<string, { id: string; rankKey: string; total: string }> {
    const held = new Map<string, { id: string; rankKey: string; total: string }>();
    for (const line of lines) {
      if (line.type === 'boards' && line.id === board) {
        held.clear();
        for (const row of line.data.rows) held.set(row.id, row);
      } else if (line.type === 'rows' && line.data.board === board) {
        if (line.data.row === null) held.delete(line.data.rowId);
        else held.set(line.data.rowId, line.data.row);
      }
    }
    return held;
  }

  async function results(id: string, token?: string): Promise<BoardResults> {
    const res = await api.call(
      `/competitions/${id}/results/${encodeURIComponent(BOARD)}`,
      token === undefined ? {} : { token },
    );
    return (await res.json()) as BoardResults;
  }

  it('starts with the whole state (contest, state, every board) ending in a token, every line valid', async () => {
    const id = await competition();
    const reader = await feed(id);
    expect(reader.status).toBe(200);
    await expect.poll(() => reader.tokens().length, { timeout: 10_000 }).toBe(1);
    expect(reader.lines.map((l) => l.type)).toEqual(['contest', 'state', 'boards']);
    for (const line of reader.lines) feedLineSchema.parse(line);
    const [contest, state] = reader.lines;
    expect(contest?.type === 'contest' && contest.data.scoreboard_type).toBe('score');
    expect(state?.type === 'state' && state.data.rounds['weld|r1']).toBe('open');
    expect(reader.lines.at(-1)?.token).toMatch(/^\d+-\d+$/);
    // Keep-alive newlines while nothing happens.
    await expect.poll(() => reader.blanks, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  });

  it('resumes with since_token with exactly the missed lines and no duplicates (regression: no resumable feed)', async () => {
    const id = await competition();
    const reference = await feed(id);
    const first = await feed(id);
    await expect.poll(() => first.tokens().length, { timeout: 10_000 }).toBe(1);
    let seed = 5;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const before: string[] = [];
    for (let i = 0; i < 12; i++)
      before.push(await mark(id, CONTESTANTS[random(6)] ?? 'A001', 70 + random(20)));
    await expect.poll(() => first.tokens().at(-1), { timeout: 10_000 }).toBe(before.at(-1));
    first.close();
    await first.ended;
    const lastSeen = first.tokens().at(-1) ?? '';
    const missed: string[] = [];
    for (let i = 0; i < 15; i++)
      missed.push(await mark(id, CONTESTANTS[random(6)] ?? 'A001', 70 + random(20), i % 2 ? 'c1' : 'j1'));
    const resumed = await feed(id, `?since_token=${encodeURIComponent(lastSeen)}`);
    expect(resumed.status).toBe(200);
    await expect.poll(() => resumed.tokens().at(-1), { timeout: 10_000 }).toBe(missed.at(-1));
    await expect.poll(() => reference.tokens().at(-1), { timeout: 10_000 }).toBe(missed.at(-1));

    // Exactly the missed entries' lines: same objects, same tokens, in the same order as a client
    // that never left; nothing it had already seen.
    const afterLastSeen = reference.lines.slice(reference.lines.findIndex((l) => l.token === lastSeen) + 1);
    expect(resumed.tokens()).toEqual(missed);
    expect(resumed.lines.map((l) => [l.type, l.id, l.token])).toEqual(
      afterLastSeen.map((l) => [l.type, l.id, l.token]),
    );
    const all = [...first.tokens(), ...resumed.tokens()];
    expect(new Set(all).size).toBe(all.length);

    // A client that applies the lines holds the board the results API shows.
    const truth = await results(id);
    const held = heldBoard([...first.lines, ...resumed.lines], BOARD);
    expect(placesOf(held.values()).map((r) => [r.id, r.total, r.place])).toEqual(
      truth.rows.map((r) => [r.id, r.total, r.rank]),
    );
  });

  it('shows the public the frozen board and nothing of an embargoed event, organisers the live one', async () => {
    const id = await competition();
    await mark(id, 'A001', 90);
    await mark(id, 'A002', 80);
    const anonymous = await feed(id);
    const staff = await feed(id, '', organiser);
    await expect.poll(() => anonymous.tokens().length, { timeout: 10_000 }).toBe(1);
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: true },
    });
    const hidden = await mark(id, 'A002', 99);
    await expect.poll(() => anonymous.tokens().at(-1), { timeout: 10_000 }).toBe(hidden);
    await expect.poll(() => staff.tokens().at(-1), { timeout: 10_000 }).toBe(hidden);
    const text = JSON.stringify(anonymous.lines);
    expect(text).not.toContain('"99.00"');
    expect(heldBoard(anonymous.lines, BOARD).get('A002')?.total).toBe('80.00');
    expect(heldBoard(staff.lines, BOARD).get('A002')?.total).toBe('99.00');
    expect(placesOf(heldBoard(anonymous.lines, BOARD).values()).map((r) => r.id)).toEqual(
      (await results(id)).rows.map((r) => r.id),
    );

    await run({
      name: 'event.embargo',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', embargoed: true },
    });
    const secret = await mark(id, 'A003', 95);
    await expect.poll(() => staff.tokens().at(-1), { timeout: 10_000 }).toBe(secret);
    await api.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', state: 'closed' },
    });
    await expect
      .poll(() => anonymous.lines.filter((l) => l.type === 'state').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(anonymous.lines)).not.toContain('"95.00"');
    expect(anonymous.tokens()).not.toContain(secret);
    expect(heldBoard(anonymous.lines, BOARD).size).toBe(0);
    expect(heldBoard(staff.lines, BOARD).get('A003')?.total).toBe('95.00');
  });

  it("ends an organiser's live feed once the session is signed out (regression: live ranking after revocation)", async () => {
    const id = await competition();
    const session = await api.organiserToken();
    const live = await feed(id, '', session);
    await expect.poll(() => live.tokens().length, { timeout: 10_000 }).toBe(1);
    let ended = false;
    void live.ended.then(() => (ended = true));
    const out = await api.call('/auth/signout', { method: 'POST', token: session });
    expect(out.status).toBe(200);
    await expect.poll(() => ended, { timeout: 20_000 }).toBe(true);
  });

  it('refuses a malformed since_token and unknown competitions', async () => {
    const id = await competition();
    const bad = await feed(id, '?since_token=yesterday');
    expect(bad.status).toBe(400);
    expect((await feed(`nope-${id}`)).status).toBe(404);
  });
});

describe('event feed connection limits', () => {
  it('bounds concurrent feeds per address and in total under a flood, and frees slots on disconnect', async () => {
    const perAddress = await startApi({ feed: { maxPerAddress: 3, maxTotal: 100 } });
    const total = await startApi({ feed: { maxPerAddress: 100, maxTotal: 5 } });
    try {
      for (const [api, limit] of [
        [perAddress, 3],
        [total, 5],
      ] as const) {
        const id = uniqueId('flood');
        await putSetup(api, await api.organiserToken(), sampleCompetition(id));
        const url = `${api.url}/api/competitions/${id}/event-feed`;
        const flood = await Promise.all(Array.from({ length: 40 }, () => openFeed(url)));
        expect(flood.filter((f) => f.status === 200)).toHaveLength(limit);
        expect(flood.filter((f) => f.status === 429)).toHaveLength(40 - limit);
        for (const f of flood) f.close();
        await Promise.all(flood.map((f) => f.ended));
        // Slots come back once the clients are gone.
        await expect
          .poll(
            async () => {
              const again = await openFeed(url);
              again.close();
              return again.status;
            },
            { timeout: 10_000 },
          )
          .toBe(200);
      }
    } finally {
      await perAddress.stop();
      await total.stop();
    }
  });
});
