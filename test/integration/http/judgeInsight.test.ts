/**
 * Issue #16, items 3 and 4 over real HTTP against real Redis: judge consistency is for organisers
 * and the event's chief judges only (a judge, another event's chief, the public are refused), and
 * its figures are the leave-one-out deviations; rank over time is replayed from the stored log and
 * matches the live board; a frozen board's history and movers reveal nothing the frozen board hides.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import type { Command } from '../../../shared/commands.ts';
import type { ConsistencyAnswer } from '../../../shared/insight/judgeConsistency.ts';
import type { MoversAnswer, RankHistoryAnswer } from '../../../shared/insight/rankHistory.ts';
import { boardHistory, BoardHistoryFold } from '../../../server/domain/rankHistory.ts';
import {
  putSetup,
  sampleCompetition,
  startApi,
  uniqueId,
  type Api,
  ORGANISER,
  openRound,
  runCommand,
  submitMarks,
} from './harness.ts';

const BOARD = 'weld|r1|individual';
const CONTESTANTS = ['A001', 'A002', 'A003', 'A004'];

describe('judge consistency and rank over time (Redis store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function competition(): Promise<string> {
    const id = uniqueId('jin');
    const criteria = [{ id: 'quality', label: '质量', max: 100, step: 0.5, divergenceTolerance: 5 }];
    const scoring = { aggregation: { kind: 'mean' }, decimals: 2, blind: false };
    const rounds = [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }];
    await putSetup(
      api,
      organiser,
      sampleCompetition(id, {
        events: [
          { id: 'weld', name: '焊工', criteria, scoring, rounds },
          { id: 'cnc', name: '数控', criteria, scoring, rounds },
        ] as never,
        judges: [
          { id: 'j1', name: '赵裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'j2', name: '孙裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'j3', name: '李裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: ['weld'] },
          { id: 'c2', name: '周裁判长', role: 'chief', eventIds: ['cnc'] },
        ],
        contestants: CONTESTANTS.map((c) => ({
          id: c,
          eventId: 'weld',
          bib: c,
          name: `选手${c}`,
          organisation: '一厂',
          region: '江苏',
        })),
      }),
    );
    await openRound(api, id);
    return id;
  }

  async function run(command: Command, actor: Actor = ORGANISER): Promise<void> {
    await runCommand(api, command, actor);
  }

  async function mark(id: string, contestantId: string, judgeId: string, quality: number): Promise<void> {
    await submitMarks(api, {
      competitionId: id,
      contestantId,
      judgeId,
      role: 'judge',
      marks: { quality: String(quality) },
    });
  }

  /** Every judge marks the contestant: j1 and j2 give `base`, j3 gives base + 6 (flagged: 6 > 5). */
  async function score(id: string, contestantId: string, base: number): Promise<void> {
    await mark(id, contestantId, 'j1', base);
    await mark(id, contestantId, 'j2', base);
    await mark(id, contestantId, 'j3', base + 6);
  }

  async function judgeToken(id: string, judgeId: string): Promise<string> {
    const { code } = await api.auth.issueJudgeCode(id, judgeId);
    return (await api.auth.signInJudge(code, '127.0.0.1')).token;
  }

  const consistency = (id: string, token?: string, query = 'event=weld') =>
    api.call(`/competitions/${id}/judge-consistency?${query}`, token === undefined ? {} : { token });

  async function history(id: string, contestant: string, token?: string): Promise<RankHistoryAnswer> {
    const res = await api.call(
      `/competitions/${id}/rank-history?board=${encodeURIComponent(BOARD)}&contestant=${contestant}`,
      token === undefined ? {} : { token },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as RankHistoryAnswer;
  }

  async function movers(id: string, token?: string): Promise<MoversAnswer> {
    const res = await api.call(
      `/competitions/${id}/movers?board=${encodeURIComponent(BOARD)}&window=10&limit=5`,
      token === undefined ? {} : { token },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as MoversAnswer;
  }

  async function liveRanks(id: string): Promise<Record<string, number | null>> {
    const snapshot = await api.service.boardSnapshot(id, BOARD, 'staff');
    return Object.fromEntries(snapshot.rows.map((r) => [r.id, r.rank]));
  }

  it('judge consistency: organisers and the event’s chief judge read it; a judge, another event’s chief and the public are refused', async () => {
    const id = await competition();
    await score(id, 'A001', 80);
    await score(id, 'A002', 70);
    const before = await liveRanks(id);

    const res = await consistency(id, organiser);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as ConsistencyAnswer;
    const j3 = answer.judges.find((j) => j.judgeId === 'j3');
    // j3 is 6 above the other two on both sheets: d = 6; the others are 3 below theirs: d = −3.
    expect(j3).toMatchObject({
      name: '李裁判',
      marks: 2,
      meanDeviation: '6.000',
      offset: '6.0',
      flagged: 2,
      checked: 2,
    });
    expect(answer.judges.find((j) => j.judgeId === 'j1')).toMatchObject({
      meanDeviation: '-3.000',
      flagged: 0,
    });
    // The chief supervises without marking: listed, with no figures.
    expect(answer.judges.find((j) => j.judgeId === 'c1')).toMatchObject({ marks: 0, meanDeviation: null });

    const chief = await consistency(id, await judgeToken(id, 'c1'));
    expect(chief.status).toBe(200);
    expect(((await chief.json()) as ConsistencyAnswer).judges).toEqual(answer.judges);

    expect((await consistency(id, await judgeToken(id, 'j1'))).status).toBe(403);
    expect((await consistency(id, await judgeToken(id, 'c2'))).status).toBe(403);
    expect((await consistency(id)).status).toBe(401);
    expect((await consistency(id, organiser, 'event=nope')).status).toBe(404);
    expect((await consistency(id, organiser, 'event=weld&round=r9')).status).toBe(404);
    expect((await consistency(id, organiser, 'event=weld&x=1')).status).toBe(400);
    // It informs; it never changes a score.
    expect(await liveRanks(id)).toEqual(before);
  });

  it('rank over time is replayed from the log and ends at the live rank; movers compare the window’s start with now', async () => {
    const id = await competition();
    await score(id, 'A001', 80); // A001 1st
    await score(id, 'A002', 85); // A002 1st, A001 2nd
    await score(id, 'A003', 88); // A003 1st, A001 3rd
    const points = (await history(id, 'A001')).points;
    // A point after each change of A001's rank or total: 80 (j1, j2), 82 (j3), then passed twice.
    expect(points.map((p) => [p.rank, p.total])).toEqual([
      [1, '80.00'],
      [1, '82.00'],
      [2, '82.00'],
      [3, '82.00'],
    ]);
    expect(points.at(-1)).toMatchObject({ rank: (await liveRanks(id)).A001, total: '82.00' });
    expect(points.map((p) => p.at)).toEqual([...points.map((p) => p.at)].sort((a, b) => a - b));
    // Movers over the last 10 minutes: each from its first rank (all arrived inside the window).
    expect((await movers(id)).movers).toEqual([
      { id: 'A001', from: 1, to: 3, delta: -2 },
      { id: 'A002', from: 1, to: 2, delta: -1 },
    ]);
  });

  it('a frozen board’s history and movers reveal nothing the frozen board hides; an embargo hides everything', async () => {
    const id = await competition();
    await score(id, 'A001', 80);
    await score(id, 'A002', 70);
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: true },
    });
    const before = await history(id, 'A001');
    const moversBefore = await movers(id);
    expect(before).toMatchObject({ frozen: true, embargoed: false });
    // Hidden from the public from now on: A003 and A004 score past A001.
    await score(id, 'A003', 88);
    await score(id, 'A004', 86);
    expect((await liveRanks(id)).A001).toBe(3);
    expect(await history(id, 'A001')).toEqual(before);
    expect(await history(id, 'A003')).toMatchObject({ frozen: true, points: [] });
    const moversAfter = await movers(id);
    expect(moversBefore.movers).toEqual([]); // A001 led throughout, A002 came in 2nd and stayed
    expect({ ...moversAfter, since: 0 }).toEqual({ ...moversBefore, since: 0 });
    expect((await movers(id, organiser)).movers).toEqual([
      { id: 'A001', from: 1, to: 3, delta: -2 },
      { id: 'A002', from: 2, to: 4, delta: -2 },
    ]);
    // The organiser sees the live history.
    const staff = await history(id, 'A001', organiser);
    expect(staff.frozen).toBe(false);
    expect(staff.points.at(-1)?.rank).toBe(3);
    // Unfrozen: the public history catches up at once (one step at the unfreeze).
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: false },
    });
    const after = await history(id, 'A001');
    expect(after.frozen).toBe(false);
    expect(after.points.map((p) => p.rank)).toEqual([...before.points.map((p) => p.rank), 3]);

    await run({
      name: 'event.embargo',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', embargoed: true },
    });
    expect(await history(id, 'A001')).toMatchObject({ embargoed: true, points: [] });
    expect(await movers(id)).toMatchObject({ embargoed: true, movers: [] });
  });

  it('a kept replay folded piece by piece (across a freeze and its end) equals a fresh replay of the whole log', async () => {
    const id = await competition();
    const folds = (['public', 'staff'] as const).map((a) => new BoardHistoryFold(id, BOARD, a));
    const catchUp = () => Promise.all(folds.map((f) => f.catchUp(api.store)));
    await score(id, 'A001', 80);
    await catchUp();
    await score(id, 'A002', 85);
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: true },
    });
    await catchUp();
    await score(id, 'A003', 88);
    await catchUp();
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: false },
    });
    await score(id, 'A004', 60);
    const [pub, staff] = await catchUp();
    expect(pub).toEqual(await boardHistory(api.store, id, BOARD, 'public'));
    expect(staff).toEqual(await boardHistory(api.store, id, BOARD, 'staff'));
    expect(pub!.timelines.get('A003')?.length).toBe(1); // shown only from the unfreeze on
    expect(staff!.timelines.get('A003')?.length).toBeGreaterThan(1);
  });

  it('refuses bad queries and unknown boards', async () => {
    const id = await competition();
    expect(
      (await api.call(`/competitions/${id}/movers?board=${encodeURIComponent(BOARD)}&window=0`)).status,
    ).toBe(400);
    expect((await api.call(`/competitions/${id}/movers?board=nope`)).status).toBe(404);
    expect(
      (await api.call(`/competitions/${id}/rank-history?board=${encodeURIComponent(BOARD)}`)).status,
    ).toBe(400);
  });
});
