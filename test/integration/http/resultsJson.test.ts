/**
 * Issue #17, JSON results: the board list exists from set-up (before any mark, category boards
 * URL-safe with one encoding), and a board's results carry ids, names, per-round and overall
 * totals, rank keys, medals and finality — seen by an anonymous caller exactly as the public
 * board shows them (freeze, embargo), by an organiser live. Real HTTP, real Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import type { Command } from '../../../shared/commands.ts';
import type { BoardResults, ResultsList } from '../../../shared/results.ts';
import { boardResultsSchema, resultsListSchema } from '../../../shared/results.ts';
import { RESULT_READS_PER_SECOND } from '../../../server/http/routes/results.ts';
import {
  putSetup,
  sampleCompetition,
  startApi,
  uniqueId,
  type Api,
  ORGANISER,
  runCommand,
  submitMarks,
} from './harness.ts';

const STUDENTS = '学生组 A/B&C%';

describe('JSON results (Redis store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function competition(): Promise<string> {
    const id = uniqueId('res');
    await putSetup(
      api,
      organiser,
      sampleCompetition(id, {
        events: [
          {
            id: 'weld',
            name: '焊工',
            criteria: [{ id: 'quality', label: '质量', max: 100, step: 0.5 }],
            scoring: {
              aggregation: { kind: 'mean' },
              decimals: 2,
              teamStanding: { method: 'sum', bestN: 2 },
              organisationStanding: { method: 'mean', bestN: 3 },
              medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
            },
            rounds: [
              { id: 'r1', name: '初赛', kind: 'preliminary', mode: 'onsite', weight: '0.4' },
              { id: 'r2', name: '决赛', kind: 'final', mode: 'onsite', weight: '0.6' },
            ],
          },
        ],
        teams: [{ id: 't1', name: '上海队' }],
        contestants: [
          {
            id: 'A001',
            eventId: 'weld',
            bib: 'A001',
            name: '张三',
            organisation: '一厂',
            region: '江苏',
            teamId: 't1',
            category: '职工组',
          },
          {
            id: 'A002',
            eventId: 'weld',
            bib: 'A002',
            name: '李四',
            organisation: '二厂',
            region: '浙江',
            teamId: 't1',
            category: STUDENTS,
          },
          {
            id: 'A003',
            eventId: 'weld',
            bib: 'A003',
            name: '王五',
            organisation: '一厂',
            region: '江苏',
            category: STUDENTS,
          },
        ],
      }),
    );
    return id;
  }

  async function run(command: Command, actor: Actor = ORGANISER): Promise<void> {
    await runCommand(api, command, actor);
  }

  async function mark(id: string, roundId: string, contestantId: string, judgeId: string, quality: number) {
    await submitMarks(api, {
      competitionId: id,
      roundId,
      contestantId,
      judgeId,
      marks: { quality: String(quality) },
    });
  }

  async function roundState(id: string, roundId: string, state: 'open' | 'closed') {
    await run({
      name: 'round.state',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId, state },
    });
  }

  async function results(id: string, path: string, token?: string): Promise<BoardResults> {
    const res = await api.call(`/competitions/${id}/results/${path}`, token === undefined ? {} : { token });
    expect(res.status).toBe(200);
    return boardResultsSchema.parse(await res.json());
  }

  it('lists every board of the set-up before any mark, each reachable by its path (regression: boards only after the first mark, double encoding)', async () => {
    const id = await competition();
    const res = await api.call(`/competitions/${id}/results`);
    expect(res.status).toBe(200);
    const list: ResultsList = resultsListSchema.parse(await res.json());
    const ids = list.boards.map((b) => b.board);
    const students = encodeURIComponent(STUDENTS);
    for (const round of ['r1', 'r2', 'overall']) {
      expect(ids).toEqual(
        expect.arrayContaining([
          `weld|${round}|individual`,
          `weld|${round}|individual|${encodeURIComponent('职工组')}`,
          `weld|${round}|individual|${students}`,
          `weld|${round}|team`,
          `weld|${round}|organisation`,
        ]),
      );
    }
    expect(ids).toHaveLength(15);
    const studentBoard = list.boards.find((b) => b.board === `weld|r1|individual|${students}`);
    expect(studentBoard).toMatchObject({
      eventName: '焊工',
      roundName: '初赛',
      scope: 'individual',
      category: STUDENTS,
    });
    expect(studentBoard?.path).toBe(encodeURIComponent(`weld|r1|individual|${STUDENTS}`));
    for (const board of list.boards) {
      const byPath = await results(id, board.path);
      expect(byPath).toMatchObject({ board: board.board, rows: [], status: 'provisional', embargoed: false });
      // The socket board id works too, in the query (encoded once) or in the path (encoded once).
      const byQuery = await api.call(`/competitions/${id}/results?board=${encodeURIComponent(board.board)}`);
      expect(((await byQuery.json()) as BoardResults).board).toBe(board.board);
      expect((await results(id, encodeURIComponent(board.board))).board).toBe(board.board);
    }
    const legacy = await api.call(`/competitions/${id}/boards`, { token: organiser });
    expect(((await legacy.json()) as { boards: string[] }).boards).toEqual([...ids].sort());
    expect(
      (await api.call(`/competitions/${id}/results/${encodeURIComponent('weld|r9|individual')}`)).status,
    ).toBe(404);
    expect((await api.call(`/competitions/nope-${id}/results`)).status).toBe(404);
    expect((await api.call(`/competitions/${id}/results`, { token: 'not-a-token' })).status).toBe(401);
  });

  it('gives ids, names, per-round and overall totals, ranks, medals and finality as the public board shows them', async () => {
    const id = await competition();
    await roundState(id, 'r1', 'open');
    await roundState(id, 'r2', 'open');
    for (const [c, r1, r2] of [
      ['A001', 90, 80],
      ['A002', 85, 95],
      ['A003', 70, 75],
    ] as const) {
      for (const judge of ['j1', 'c1']) {
        await mark(id, 'r1', c, judge, r1);
        await mark(id, 'r2', c, judge, r2);
      }
    }
    const overall = await results(id, encodeURIComponent('weld|overall|individual'));
    const snapshot = await api.service.boardSnapshot(id, 'weld|overall|individual', 'public');
    expect(
      overall.rows.map(({ id: rowId, rank, rankKey, total, complete, outcome }) => ({
        id: rowId,
        rank,
        rankKey,
        total,
        complete,
        outcome,
      })),
    ).toEqual(snapshot.rows);
    const [first] = overall.rows;
    expect(first).toMatchObject({
      id: 'A002',
      rank: 1,
      total: '91.00',
      provisional: false,
      medal: 'gold',
      contestant: {
        id: 'A002',
        bib: 'A002',
        name: '李四',
        organisation: '二厂',
        category: STUDENTS,
        teamId: 't1',
        teamName: '上海队',
      },
      team: null,
      rounds: {
        r1: { total: '85.00', complete: true, outcome: 'ok', rank: 2 },
        r2: { total: '95.00', complete: true, outcome: 'ok', rank: 1 },
        overall: { total: '91.00', complete: true, outcome: 'ok', rank: 1 },
      },
    });
    expect(overall.rows.map((r) => r.medal)).toEqual(['gold', 'silver', 'bronze']);
    const team = await results(id, encodeURIComponent('weld|r1|team'));
    expect(team.rows).toEqual([
      expect.objectContaining({
        id: 't1',
        team: { id: 't1', name: '上海队' },
        contestant: null,
        total: '175.00',
      }),
    ]);
    const org = await results(id, encodeURIComponent('weld|r2|organisation'));
    expect(org.rows.map((r) => r.organisation)).toEqual(['二厂', '一厂']);

    // A result the chief judge signed (sheet.sign) is signed off; boards that are not one round's have no sheets.
    await run(
      {
        name: 'sheet.sign',
        payload: {
          opId: randomUUID(),
          competitionId: id,
          eventId: 'weld',
          roundId: 'r2',
          contestantId: 'A002',
          signed: true,
        },
      },
      { kind: 'judge', judgeId: 'c1', competitionId: id, role: 'chief' },
    );
    const r2 = await results(id, encodeURIComponent('weld|r2|individual'));
    expect(r2.rows.map((r) => [r.id, r.signed])).toEqual([
      ['A002', true],
      ['A001', false],
      ['A003', false],
    ]);
    expect(
      (await results(id, encodeURIComponent('weld|overall|individual'))).rows.map((r) => r.signed),
    ).toEqual([null, null, null]);

    // Finalized rounds are final; overall only when every counted round is.
    await roundState(id, 'r1', 'closed');
    await run({
      name: 'round.finalize',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1' },
    });
    expect((await results(id, encodeURIComponent('weld|r1|individual'))).status).toBe('final');
    expect((await results(id, encodeURIComponent('weld|overall|individual'))).status).toBe('provisional');
  });

  it('respects freeze and embargo for anonymous callers exactly as the public board does, and shows organisers the live ranking', async () => {
    const id = await competition();
    await roundState(id, 'r1', 'open');
    await mark(id, 'r1', 'A001', 'j1', 90);
    await mark(id, 'r1', 'A002', 'j1', 80);
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: true },
    });
    await mark(id, 'r1', 'A002', 'j1', 99);
    await mark(id, 'r1', 'A003', 'j1', 95);
    const board = 'weld|r1|individual';
    const anonymous = await results(id, encodeURIComponent(board));
    const publicView = await api.service.boardSnapshot(id, board, 'public');
    expect(anonymous.frozen).toBe(true);
    expect(anonymous.rows.map((r) => [r.id, r.total, r.rank])).toEqual(
      publicView.rows.map((r) => [r.id, r.total, r.rank]),
    );
    expect(anonymous.rows.map((r) => r.id)).toEqual(['A001', 'A002']);
    expect(anonymous.rows[1]?.rounds.r1?.total).toBe('80.00');
    const live = await results(id, encodeURIComponent(board), organiser);
    expect(live.frozen).toBe(false);
    expect(live.rows.map((r) => r.id)).toEqual(['A002', 'A003', 'A001']);

    await run({
      name: 'event.embargo',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', embargoed: true },
    });
    const hidden = await results(id, encodeURIComponent(board));
    expect(hidden).toMatchObject({ embargoed: true, rows: [], total: 0 });
    expect((await results(id, encodeURIComponent('weld|overall|individual'))).rows).toEqual([]);
    expect((await results(id, encodeURIComponent(board), organiser)).rows).toHaveLength(3);
  });
  it('limits result reads per address: a flood gets 429 with Retry-After, and the reads resume after it (regression: no limit)', async () => {
    const id = await competition();
    const flood = 4 * RESULT_READS_PER_SECOND;
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: flood }, (_, i) =>
        api.call(
          i % 2 ? `/competitions/${id}/results` : `/competitions/${id}/results/weld%7Cr1%7Cindividual`,
        ),
      ),
    );
    // The limit's one-second windows start at the first read; a slow machine can spread the flood
    // over more than one of them, and each window lets RESULT_READS_PER_SECOND through.
    const windows = Math.ceil((Date.now() - started) / 1000) + 1;
    const limited = statuses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(flood - windows * RESULT_READS_PER_SECOND);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited[0]?.json()) as { code: string }).code).toBe('rate_limited');
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await api.call(`/competitions/${id}/results`)).status).toBe(200);
  });
});
