/**
 * Issue #16, insight: what it takes and why this rank over real HTTP against real Redis. The
 * forecast is exact end to end (the mark it names, submitted, takes the lead; one step less does
 * not), a frozen board's forecast does not move when hidden results change, blind marks stay
 * hidden, an embargo hides everything, and a flood is refused with 429.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import type { Command } from '../../../shared/commands.ts';
import type { InsightAnswer } from '../../../shared/insight/answer.ts';
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

describe('insight (Redis store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function competition(blind: boolean): Promise<string> {
    const id = uniqueId('ins');
    await putSetup(
      api,
      organiser,
      sampleCompetition(id, {
        events: [
          {
            id: 'weld',
            name: '焊工',
            criteria: [
              { id: 'quality', label: '质量', max: 100, step: 0.5 },
              { id: 'safety', label: '操作规范', max: 10, step: 0.25 },
            ],
            scoring: {
              aggregation: { kind: 'mean' },
              decimals: 2,
              blind,
              tieBreak: { criteria: ['safety'] },
              medals: { kind: 'rank', gold: 1, silver: 1, bronze: 2 },
            },
            rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
          },
        ],
        judges: [
          { id: 'j1', name: '赵裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'j2', name: '孙裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: ['weld'] },
        ],
        contestants: ['A001', 'A002', 'A003'].map((c) => ({
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

  async function mark(id: string, contestantId: string, judgeId: string, marks: Record<string, string>) {
    await submitMarks(api, { competitionId: id, contestantId, judgeId, marks });
  }

  async function insight(id: string, contestant: string, token?: string, extra = ''): Promise<InsightAnswer> {
    const res = await api.call(
      `/competitions/${id}/insight?board=${encodeURIComponent(BOARD)}&contestant=${contestant}${extra}`,
      token === undefined ? {} : { token },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as InsightAnswer;
  }

  async function liveRank(id: string, contestant: string): Promise<number | null> {
    const snapshot = await api.service.boardSnapshot(id, BOARD, 'staff');
    return snapshot.rows.find((r) => r.id === contestant)?.rank ?? null;
  }

  /** A001 done at 90 / 8; A002 marked by j1 and c1, j2's marks still to come. */
  async function stage(id: string) {
    for (const j of ['j1', 'c1']) await mark(id, 'A001', j, { quality: '85', safety: '8' });
    await mark(id, 'A002', 'j1', { quality: '80', safety: '9' });
    await mark(id, 'A002', 'c1', { quality: '84', safety: '9' });
    await mark(id, 'A002', 'j2', { safety: '9' });
  }

  it('names the mark the last judge must give to take the lead, and it is exact: that mark leads, one step less does not', async () => {
    const [id, lower] = [await competition(false), await competition(false)];
    await stage(id);
    await stage(lower);
    const answer = await insight(id, 'A002');
    const lead = answer.goals.find((g) => g.kind === 'lead');
    expect(lead).toMatchObject({ status: 'reachable', rivalId: 'A001' });
    expect(lead?.mark).toMatchObject({ criterionId: 'quality', status: 'reachable' });
    const needed = lead!.mark!.mark!;
    await mark(id, 'A002', 'j2', { quality: needed });
    expect(await liveRank(id, 'A002')).toBe(1);
    await mark(lower, 'A002', 'j2', { quality: String(Number(needed) - 0.5) });
    expect(await liveRank(lower, 'A002')).toBe(2);
  });

  it('a frozen board’s forecast reveals nothing the frozen board hides: it stays the same while hidden results change', async () => {
    const id = await competition(false);
    await stage(id);
    await run({
      name: 'board.freeze',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', frozen: true },
    });
    const before = await insight(id, 'A002', undefined, '&line=2');
    expect(before).toMatchObject({ frozen: true, sheet: null, range: { lowest: null, highest: null } });
    expect(before.goals.every((g) => g.mark === null)).toBe(true);
    // Hidden from the public from now on: A002 completes, A003 scores past everyone.
    await mark(id, 'A002', 'j2', { quality: '100' });
    for (const j of ['j1', 'j2', 'c1']) await mark(id, 'A003', j, { quality: '99', safety: '10' });
    const after = await insight(id, 'A002', undefined, '&line=2');
    expect(after).toEqual(before);
    expect(JSON.stringify(await insight(id, 'A003'))).not.toContain('99');
    // The organiser sees the live board.
    expect((await insight(id, 'A002', organiser)).frozen).toBe(false);
  });

  it('blind judging: until every judge has marked, the public gets no marks, criterion scores or needed mark', async () => {
    const id = await competition(true);
    await stage(id);
    const anonymous = await insight(id, 'A002');
    expect(anonymous.sheet?.criteria.map((c) => [c.marks, c.score])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(anonymous.goals.every((g) => g.mark === null)).toBe(true);
    // The range is the rule's own (every mark open), not the sheet's.
    expect(anonymous.range).toEqual({ lowest: '0.00', highest: '110.00' });
    const staff = await insight(id, 'A002', organiser);
    expect(staff.sheet?.criteria[0]?.marks?.map((m) => m.mark)).toEqual(['80', '84']);
    await mark(id, 'A002', 'j2', { quality: '82' });
    expect((await insight(id, 'A002')).sheet?.criteria[0]?.marks).toHaveLength(3);
  });

  it('explains a tie on total by the tie-break that decided it, and hides everything under embargo', async () => {
    const id = await competition(false);
    for (const j of ['j1', 'j2', 'c1']) await mark(id, 'A001', j, { quality: '90', safety: '8' });
    for (const j of ['j1', 'j2', 'c1']) await mark(id, 'A002', j, { quality: '89.5', safety: '8.5' });
    const answer = await insight(id, 'A001');
    expect(answer.ties).toEqual([
      { rivalId: 'A002', ahead: false, decidedBy: { kind: 'criterion', criterionId: 'safety', by: '0.5' } },
    ]);
    await run({
      name: 'event.embargo',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', embargoed: true },
    });
    expect(await insight(id, 'A001')).toMatchObject({
      embargoed: true,
      row: null,
      goals: [],
      sheet: null,
      ties: [],
    });
  });

  it('refuses bad queries with invalid_payload / not_found', async () => {
    const id = await competition(false);
    const path = `/competitions/${id}/insight?board=${encodeURIComponent(BOARD)}`;
    for (const query of ['&contestant=A001&line=0', '&contestant=A001&extra=1', '', '&contestant=A%20B']) {
      const bad = await api.call(path + query);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { code: string }).code).toBe('invalid_payload');
    }
    expect((await api.call(`${path}&contestant=Z999`)).status).toBe(404);
    expect((await api.call(`/competitions/${id}/insight?board=nope&contestant=A001`)).status).toBe(404);
  });

  it('limits insight reads per address: a flood gets 429 rate_limited with Retry-After, and reads resume after it (regression: no limit)', async () => {
    const limit = 5;
    const small = await startApi({ redisUrl: inject('redisUrl'), insightReadsPerSecond: limit });
    try {
      const id = uniqueId('ins');
      await putSetup(small, await small.organiserToken(), sampleCompetition(id));
      const path = `/competitions/${id}/insight?board=${encodeURIComponent(BOARD)}&contestant=A001`;
      const statuses = await Promise.all(Array.from({ length: 12 * limit }, () => small.call(path)));
      const limited = statuses.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(statuses.filter((r) => r.status === 200).length).toBeLessThan(statuses.length);
      expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await limited[0]?.json()) as { code: string }).code).toBe('rate_limited');
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await small.call(path)).status).toBe(200);
    } finally {
      await small.stop();
    }
  });
});
