/**
 * A competition scored live through ContestService — with corrections, deductions, a
 * disqualification and a set-up change half-way — rebuilds from its log with zero differences.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Competition } from '../../../shared/model.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { simulateJudging } from '../../../server/demo/simulate.ts';
import type { Store } from '../../../server/store/index.ts';
import { judgeActor, ORGANISER, op, putSetup, smallCompetition, storeKinds } from './helpers.ts';

describe.each(storeKinds(inject('redisUrl')))('live scoring equals rebuild ($name store)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await kind.open());
  });
  afterAll(async () => close());

  it('keeps every board equal to its rebuild through corrections, DSQ and a set-up change', async () => {
    const service = new ContestService({ store });
    let setup: Competition = smallCompetition(6);
    const cid = setup.id;
    await service.execute(ORGANISER, putSetup(setup));
    await simulateJudging(service, setup, { roundId: 'prelim', eventIds: ['welding', 'cnc'], runId: 'r1' });

    const target = { competitionId: cid, eventId: 'welding', roundId: 'prelim' };
    const chief = judgeActor(setup, 'welding-j1');
    const board = 'welding|prelim|individual';
    const before = await store.rankOf(cid, board, 'welding-002');
    await service.execute(chief, {
      name: 'mark.correct',
      payload: {
        ...target,
        opId: op(),
        contestantId: 'welding-002',
        judgeId: 'welding-j3',
        criterionId: 'appearance',
        value: '30',
        reason: '复核',
      },
    });
    await service.execute(chief, {
      name: 'mark.correct',
      payload: {
        ...target,
        opId: op(),
        contestantId: 'welding-002',
        judgeId: 'welding-j4',
        criterionId: 'forming',
        value: null,
        reason: '录入错误',
      },
    });
    await service.execute(chief, {
      name: 'deduction.add',
      payload: {
        ...target,
        opId: op(),
        contestantId: 'welding-003',
        deduction: { id: 'late', points: '1.5', reason: '迟到' },
      },
    });
    await service.execute(chief, {
      name: 'deduction.remove',
      payload: {
        ...target,
        opId: op(),
        contestantId: 'welding-003',
        deductionId: 'late',
        reason: '申诉成功',
      },
    });
    const dsq = await service.execute(chief, {
      name: 'outcome.set',
      payload: { ...target, opId: op(), contestantId: 'welding-001', outcome: 'dsq', reason: '违规' },
    });
    expect(dsq.sheet?.outcome).toBe('dsq');
    const after = await store.rankOf(cid, board, 'welding-002');
    expect(after?.total).not.toBe(before?.total);
    const rows = await store.top(cid, board, 0, 100);
    expect(rows.at(-1)?.id).toBe('welding-001');

    // Set-up change mid-way: a contestant changes category and team, a criterion weight changes.
    setup = {
      ...setup,
      contestants: setup.contestants.map((c) =>
        c.id === 'welding-004'
          ? { ...c, category: c.category === '学生组' ? '职工组' : '学生组', teamId: 'welding-t01' }
          : c,
      ),
      teams: setup.teams.some((t) => t.id === 'welding-t01')
        ? setup.teams
        : [...setup.teams, { id: 'welding-t01', name: '新队' }],
      events: setup.events.map((e) =>
        e.id === 'welding'
          ? { ...e, criteria: e.criteria.map((c) => (c.id === 'safety' ? { ...c, weight: '2' } : c)) }
          : e,
      ),
    };
    await service.execute(ORGANISER, putSetup(setup));
    const midway = await rebuild(store, cid);
    expect(midway.differences).toEqual([]);

    // Marked behind the freeze, so the reveal step (which picks a pending row) has one to show.
    await service.execute(ORGANISER, {
      name: 'board.freeze',
      payload: { opId: op(), competitionId: cid, eventId: 'welding', roundId: 'final', frozen: true },
    });
    await simulateJudging(service, setup, { roundId: 'final', eventIds: ['welding'], limit: 4, runId: 'r1' });
    await service.execute(ORGANISER, {
      name: 'board.reveal',
      payload: { opId: op(), competitionId: cid, eventId: 'welding', roundId: 'final' },
    });
    await service.execute(ORGANISER, {
      name: 'round.finalize',
      payload: { opId: op(), competitionId: cid, eventId: 'welding', roundId: 'prelim' },
    });

    const report = await rebuild(store, cid);
    expect(report.differences).toEqual([]);
    expect(report.boards).toBeGreaterThan(10);
    expect(report.rows).toBeGreaterThan(30);

    // The comparison is not vacuous: a row written behind the domain's back is reported.
    const victim = rows[0];
    if (victim === undefined) throw new Error('empty board');
    await store.commit(cid, {
      opId: op(),
      entry: { at: Date.now(), actor: 'system', opId: 'tamper', type: 'round.state', payload: {} },
      expect: [],
      sheets: [],
      boards: [{ board, rowId: victim.id, row: { ...victim, total: '0.01' } }],
      result: null,
    });
    const tampered = await rebuild(store, cid);
    expect(tampered.differences.map((d) => [d.kind, d.row ?? null])).toEqual(
      expect.arrayContaining([
        ['board', victim.id],
        ['replay', null],
      ]),
    );
  });
});
