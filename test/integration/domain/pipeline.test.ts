/**
 * ContestService with judges' marks pipelined (commandLanes.ts): bursts of marks sent at once are
 * all acknowledged, each counted once, in order per sheet, around exclusive commands and against
 * another node writing the same sheets — and the boards always equal a replay of the log.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import type { CommandResult } from '../../../shared/events.ts';
import type { Competition } from '../../../shared/model.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { RedisStore, type Store } from '../../../server/store/index.ts';
import type { Commit, CommitOutcome } from '../../../server/store/types.ts';
import { judgeActor, logLength, ORGANISER, op, putSetup, smallCompetition, storeKinds } from './helpers.ts';

const EVENT = 'electrician';
const ROUND = 'prelim';
const BOARD = `${EVENT}|${ROUND}|individual`;
/** The event's five judges: electrician-j1 (chief) … electrician-j5. */
const JUDGES = [1, 2, 3, 4, 5].map((j) => `${EVENT}-j${j}`);

function contestantId(index: number): string {
  return `${EVENT}-${String(index + 1).padStart(3, '0')}`;
}

function submit(setup: Competition, contestant: string, marks: Record<string, string>, opId = op()): Command {
  return {
    name: 'marks.submit',
    payload: {
      opId,
      competitionId: setup.id,
      eventId: EVENT,
      roundId: ROUND,
      contestantId: contestant,
      marks,
    },
  };
}

/** An organiser's 1.5-point "late" deduction on a contestant's sheet, with a fresh opId. */
function lateDeduction(setup: Competition, contestant: string): Command {
  return {
    name: 'deduction.add',
    payload: {
      opId: op(),
      competitionId: setup.id,
      eventId: EVENT,
      roundId: ROUND,
      contestantId: contestant,
      deduction: { id: 'late', points: '1.5', reason: '迟到' },
    },
  };
}

async function openRound(service: ContestService, setup: Competition): Promise<void> {
  await service.execute(ORGANISER, {
    name: 'round.state',
    payload: { opId: op(), competitionId: setup.id, eventId: EVENT, roundId: ROUND, state: 'open' },
  });
}

/**
 * Judge j's marks for contestant c, chosen so the trimmed mean (drop the highest and the lowest of
 * the five) of every criterion is judge 0's mark: the sheet total is 53 + c.
 */
const HALF_STEPS = [0, -2, 0.5, -0.5, 3];
const WHOLE_STEPS = [0, -2, 1, -1, 3];
function marksOf(c: number, j: number): { first: Record<string, string>; second: Record<string, string> } {
  const half = HALF_STEPS[j] ?? 0;
  const whole = WHOLE_STEPS[j] ?? 0;
  return {
    first: { wiring: String(20 + c / 2 + half), faults: String(15 + whole) },
    second: { plc: String(10 + c / 2 + half), safety: String(8 + half) },
  };
}
const expectedTotal = (c: number): string => `${53 + c}.00`;

/** Every judge's two submissions for `contestants` contestants, interleaved across sheets and judges. */
function fullBurst(setup: Competition, contestants: number): Array<{ actor: Actor; command: Command }> {
  const burst: Array<{ actor: Actor; command: Command }> = [];
  for (const part of ['first', 'second'] as const) {
    for (let j = 0; j < JUDGES.length; j++) {
      for (let c = 0; c < contestants; c++) {
        burst.push({
          actor: judgeActor(setup, JUDGES[j] ?? ''),
          command: submit(setup, contestantId(c), marksOf(c, j)[part]),
        });
      }
    }
  }
  return burst;
}

/** The board as id → total, every row complete. */
async function totals(store: Store, competitionId: string): Promise<Record<string, string>> {
  const rows = await store.top(competitionId, BOARD, 0, 1000);
  expect(rows.every((r) => r.complete)).toBe(true);
  return Object.fromEntries(rows.map((r) => [r.id, r.total]));
}

function expectedTotals(contestants: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: contestants }, (_, c) => [contestantId(c), expectedTotal(c)]),
  );
}

/** A store that counts the commits answered 'conflict'. */
function conflictCounting(store: Store): { store: Store; conflicts: () => number } {
  let conflicts = 0;
  const counting = Object.assign(Object.create(store) as Store, {
    commit: async (cid: string, c: Commit): Promise<CommitOutcome> => {
      const outcome = await store.commit(cid, c);
      if (outcome.status === 'conflict') conflicts++;
      return outcome;
    },
  });
  return { store: counting, conflicts: () => conflicts };
}

describe.each(storeKinds(inject('redisUrl')))('pipelined marks ($name store)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await kind.open());
  });
  afterAll(async () => close());

  it.each([32, 3])(
    'acknowledges a burst of marks sent at once, counts each once and scores them (depth %i)',
    async (pipelineDepth) => {
      const service = new ContestService({ store, pipelineDepth });
      const contestants = 8;
      const setup = smallCompetition(contestants);
      await service.execute(ORGANISER, putSetup(setup));
      await openRound(service, setup);
      const before = await logLength(store, setup.id);

      const burst = fullBurst(setup, contestants);
      const results = await Promise.all(burst.map(({ actor, command }) => service.execute(actor, command)));

      expect(results.filter((r) => r.duplicate)).toEqual([]);
      expect(new Set(results.map((r) => r.logId)).size).toBe(burst.length);
      expect(await logLength(store, setup.id)).toBe(before + burst.length);
      expect(await totals(store, setup.id)).toEqual(expectedTotals(contestants));
      // Highest total first.
      const ranked = await store.top(setup.id, BOARD, 0, 3);
      expect(ranked.map((r) => [r.rank, r.id])).toEqual([
        [1, contestantId(contestants - 1)],
        [2, contestantId(contestants - 2)],
        [3, contestantId(contestants - 3)],
      ]);
      expect((await rebuild(store, setup.id)).differences).toEqual([]);
    },
  );

  it('answers an opId repeated inside a burst with its first result, once, and still commits the rest', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(4);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup);
    const [c0, c1, c2] = [contestantId(0), contestantId(1), contestantId(2)];
    const judge = (j: number): Actor => judgeActor(setup, JUDGES[j] ?? '');

    // Committed before the burst, resent in the middle of it (a tablet retrying a lost acknowledgement).
    const resent = submit(setup, c0, { wiring: '22' });
    const firstAnswer = await service.execute(judge(1), resent);
    const base = await logLength(store, setup.id);

    const deduction = lateDeduction(setup, c0);
    const twice = submit(setup, c2, { wiring: '25' });
    const burst: Array<{ actor: Actor; command: Command }> = [
      { actor: judge(0), command: submit(setup, c0, { wiring: '20' }) },
      { actor: judge(2), command: submit(setup, c1, { wiring: '21' }) },
      { actor: judge(1), command: resent },
      { actor: ORGANISER, command: deduction },
      { actor: judge(3), command: submit(setup, c0, { wiring: '24' }) },
      { actor: judge(4), command: twice },
      { actor: ORGANISER, command: deduction },
      { actor: judge(2), command: submit(setup, c0, { wiring: '23' }) },
      { actor: judge(4), command: submit(setup, c0, { wiring: '30' }) },
      { actor: judge(4), command: twice },
      { actor: judge(0), command: submit(setup, c2, { wiring: '15' }) },
      { actor: judge(3), command: submit(setup, c1, { wiring: '19' }) },
    ];
    const results = await Promise.all(
      burst.map(({ actor, command }) =>
        service.execute(actor, command).then(
          (result): CommandResult | string => result,
          (err: unknown) => `rejected: ${String(err)}`,
        ),
      ),
    );
    const at = (i: number): CommandResult => {
      const result = results[i];
      if (typeof result !== 'object') throw new Error(`command ${i} was ${String(result)}`);
      return result;
    };
    expect(results.filter((r) => typeof r === 'string')).toEqual([]);

    // The resent mark gets its first answer, although the sheet has moved on since.
    expect(at(2)).toMatchObject({ duplicate: true, sheet: firstAnswer.sheet });
    expect(at(2).sheet?.total).toBe('22.00');
    // Each repeated opId: one commit, and the same answer for its copy.
    for (const [a, b] of [
      [3, 6],
      [5, 9],
    ] as const) {
      expect([at(a).duplicate, at(b).duplicate].sort()).toEqual([false, true]);
      expect(at(a).sheet).toEqual(at(b).sheet);
    }
    const unique = burst.length - 3;
    expect(await logLength(store, setup.id)).toBe(base + unique);

    // c0: 20, 22, 23, 24, 30 → trimmed mean 23, minus the deduction counted once.
    const sheet = await store.getSheet(setup.id, { eventId: EVENT, roundId: ROUND, contestantId: c0 });
    expect(sheet.value.deductions).toHaveLength(1);
    expect((await store.rankOf(setup.id, BOARD, c0))?.total).toBe('21.50');
    // c1: 21, 19 → mean 20; c2: 25, 15 → mean 20.
    expect((await store.rankOf(setup.id, BOARD, c1))?.total).toBe('20.00');
    expect((await store.rankOf(setup.id, BOARD, c2))?.total).toBe('20.00');
    expect((await rebuild(store, setup.id)).differences).toEqual([]);
  });

  it('answers a deduction resent right behind its first copy with the first answer', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup);
    const c0 = contestantId(0);
    const judge = judgeActor(setup, JUDGES[1] ?? '');
    // A mark committed earlier and resent: it is not committed again, so the caches are dropped and
    // the deduction planned behind it conflicts and is planned again.
    const resent = submit(setup, c0, { wiring: '22' });
    await service.execute(judge, resent);
    const deduction = lateDeduction(setup, c0);
    const settled = await Promise.allSettled([
      service.execute(judge, resent),
      service.execute(ORGANISER, deduction),
      service.execute(ORGANISER, deduction),
    ]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? 'ok' : String(s.reason)))).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    const [, first, second] = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    expect([first?.duplicate, second?.duplicate].sort()).toEqual([false, true]);
    expect(first?.sheet).toEqual(second?.sheet);
    expect((await store.rankOf(setup.id, BOARD, c0))?.total).toBe('20.50');
    expect((await rebuild(store, setup.id)).differences).toEqual([]);
  });

  it('acknowledges a judge’s successive marks on one sheet in order, and the last one wins', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup);
    const c0 = contestantId(0);
    // The other four judges' wiring marks: 10, 15, 25, 30. Judge j3's mark v then scores (40 + v) / 3.
    for (const [j, wiring] of [
      [0, '10'],
      [1, '15'],
      [3, '25'],
      [4, '30'],
    ] as const) {
      await service.execute(judgeActor(setup, JUDGES[j] ?? ''), submit(setup, c0, { wiring }));
    }
    const judge = judgeActor(setup, JUDGES[2] ?? '');
    const values = ['17', '23', '20', '24.5', '18.5'];
    const commands = values.map((wiring) => submit(setup, c0, { wiring }));
    const acknowledged: number[] = [];
    // An unrelated judge's marks on other sheets in between, to share the pipeline.
    const others = [1, 2].map((c) =>
      service.execute(judgeActor(setup, JUDGES[0] ?? ''), submit(setup, contestantId(c), { wiring: '12' })),
    );
    const results = await Promise.all(
      commands.map((command, i) =>
        service.execute(judge, command).then((result) => {
          acknowledged.push(i);
          return result;
        }),
      ),
    );
    await Promise.all(others);

    expect(acknowledged).toEqual([0, 1, 2, 3, 4]);
    // Each answer is the sheet just after that mark.
    expect(results.map((r) => r.sheet?.total)).toEqual(['19.00', '21.00', '20.00', '21.50', '19.50']);
    const log = await store.readLog(setup.id, undefined, 1000);
    const opIds = new Set(commands.map((c) => c.payload.opId));
    expect(log.filter((e) => opIds.has(e.opId)).map((e) => e.opId)).toEqual(
      commands.map((c) => c.payload.opId),
    );
    const sheet = await store.getSheet(setup.id, { eventId: EVENT, roundId: ROUND, contestantId: c0 });
    expect(sheet.value.marks[JUDGES[2] ?? '']).toEqual({ wiring: '18.5' });
    expect((await store.rankOf(setup.id, BOARD, c0))?.total).toBe('19.50');
    expect((await rebuild(store, setup.id)).differences).toEqual([]);
  });

  it('runs a freeze and a set-up change sent in the middle of a burst consistently with the log', async () => {
    const service = new ContestService({ store });
    const contestants = 6;
    const setup = smallCompetition(contestants);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup);
    const before = await logLength(store, setup.id);

    const burst = fullBurst(setup, contestants);
    const freeze: Command = {
      name: 'board.freeze',
      payload: { opId: op(), competitionId: setup.id, eventId: EVENT, roundId: ROUND, frozen: true },
    };
    // Safety now counts double: every total goes up by the safety score (8).
    const reweighted: Competition = {
      ...setup,
      events: setup.events.map((e) =>
        e.id === EVENT
          ? { ...e, criteria: e.criteria.map((c) => (c.id === 'safety' ? { ...c, weight: '2' } : c)) }
          : e,
      ),
    };
    const third = Math.floor(burst.length / 3);
    burst.splice(third, 0, { actor: ORGANISER, command: freeze });
    burst.splice(2 * third, 0, { actor: ORGANISER, command: putSetup(reweighted) });
    const results = await Promise.all(burst.map(({ actor, command }) => service.execute(actor, command)));

    expect(results.filter((r) => r.duplicate)).toEqual([]);
    expect(await logLength(store, setup.id)).toBe(before + burst.length);
    expect(await totals(store, setup.id)).toEqual(
      Object.fromEntries(
        Array.from({ length: contestants }, (_, c) => [contestantId(c), `${53 + c + 8}.00`]),
      ),
    );
    // The public still sees the board as frozen, the staff the live totals.
    const publicView = await service.boardSnapshot(setup.id, BOARD, 'public');
    expect(publicView.frozen).toBe(true);
    const staffView = await service.boardSnapshot(setup.id, BOARD, 'staff');
    expect(staffView.rows.map((r) => r.total)).toEqual(
      Array.from({ length: contestants }, (_, c) => `${53 + (contestants - 1 - c) + 8}.00`),
    );
    expect((await rebuild(store, setup.id)).differences).toEqual([]);
  });
});

describe('pipelined marks on two nodes sharing Redis', () => {
  let storeA: RedisStore;
  let storeB: RedisStore;
  beforeAll(() => {
    storeA = new RedisStore(inject('redisUrl'));
    storeB = new RedisStore(inject('redisUrl'));
  });
  afterAll(async () => {
    await storeA.close();
    await storeB.close();
  });

  it('keeps the other node’s mark when two pipelined marks follow a sheet it changed', async () => {
    const nodeA = new ContestService({ store: storeA });
    const nodeB = new ContestService({ store: storeB });
    const setup = smallCompetition(3);
    await nodeA.execute(ORGANISER, putSetup(setup));
    await openRound(nodeA, setup);
    const c0 = contestantId(0);
    const judge = (j: number): Actor => judgeActor(setup, JUDGES[j] ?? '');
    await nodeA.execute(judge(0), submit(setup, c0, { wiring: '20' }));
    // nodeA now remembers c0's sheet; nodeB changes it behind nodeA's back.
    await nodeB.execute(judge(1), submit(setup, c0, { wiring: '21' }));
    // Two marks on c0 through nodeA, the second planned on what the first would leave.
    await Promise.all([
      nodeA.execute(judge(2), submit(setup, c0, { wiring: '22' })),
      nodeA.execute(judge(3), submit(setup, c0, { wiring: '23' })),
    ]);

    const sheet = await storeA.getSheet(setup.id, { eventId: EVENT, roundId: ROUND, contestantId: c0 });
    expect(sheet.value.marks).toEqual({
      [JUDGES[0] ?? '']: { wiring: '20' },
      [JUDGES[1] ?? '']: { wiring: '21' },
      [JUDGES[2] ?? '']: { wiring: '22' },
      [JUDGES[3] ?? '']: { wiring: '23' },
    });
    expect((await rebuild(storeA, setup.id)).differences).toEqual([]);
  });

  it('counts every mark once when both nodes pipeline bursts on the same sheets', async () => {
    const a = conflictCounting(storeA);
    const b = conflictCounting(storeB);
    const nodeA = new ContestService({ store: a.store });
    const nodeB = new ContestService({ store: b.store });
    const contestants = 8;
    const setup = smallCompetition(contestants);
    await nodeA.execute(ORGANISER, putSetup(setup));
    await openRound(nodeA, setup);
    const before = await logLength(storeA, setup.id);

    const burst = fullBurst(setup, contestants);
    // Judges 1, 3 and 5 on nodeA, 2 and 4 on nodeB: every sheet is written by both nodes.
    const results = await Promise.all(
      burst.map(({ actor, command }) => {
        const judgeIndex = actor.kind === 'judge' ? JUDGES.indexOf(actor.judgeId) : 0;
        return (judgeIndex % 2 === 0 ? nodeA : nodeB).execute(actor, command);
      }),
    );

    expect(results.filter((r) => r.duplicate)).toEqual([]);
    expect(a.conflicts() + b.conflicts()).toBeGreaterThan(0);
    expect(await logLength(storeA, setup.id)).toBe(before + burst.length);
    for (let c = 0; c < contestants; c++) {
      const sheet = await storeA.getSheet(setup.id, {
        eventId: EVENT,
        roundId: ROUND,
        contestantId: contestantId(c),
      });
      expect(sheet.value.marks).toEqual(
        Object.fromEntries(
          JUDGES.map((judgeId, j) => [judgeId, { ...marksOf(c, j).first, ...marksOf(c, j).second }]),
        ),
      );
    }
    expect(await totals(storeA, setup.id)).toEqual(expectedTotals(contestants));
    expect((await rebuild(storeA, setup.id)).differences).toEqual([]);
  });
});
