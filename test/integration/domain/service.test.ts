/** ContestService against real stores: idempotent retries, refused actions, concurrent judges across nodes. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import type { Competition } from '../../../shared/model.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService, type ChangeNotification } from '../../../server/domain/service.ts';
import { RedisStore, type Store } from '../../../server/store/index.ts';
import type { Commit, CommitOutcome } from '../../../server/store/types.ts';
import type { BoardDelta } from '../../../shared/events.ts';
import {
  allBoards,
  judgeActor,
  logLength,
  ORGANISER,
  op,
  putSetup,
  smallCompetition,
  storeKinds,
} from './helpers.ts';

async function openRound(
  service: ContestService,
  setup: Competition,
  eventId: string,
  roundId: string,
): Promise<void> {
  await service.execute(ORGANISER, {
    name: 'round.state',
    payload: { opId: op(), competitionId: setup.id, eventId, roundId, state: 'open' },
  });
}

function submit(
  setup: Competition,
  contestantId: string,
  marks: Record<string, string>,
  opId = op(),
): Command {
  return {
    name: 'marks.submit',
    payload: {
      opId,
      competitionId: setup.id,
      eventId: 'electrician',
      roundId: 'prelim',
      contestantId,
      marks,
    },
  };
}

/** Time for a Redis change feed subscription to be in place (the in-process stores need none). */
const settle = (): Promise<void> => new Promise((done) => setTimeout(done, 200));

const MARKS = { wiring: '30', faults: '25', plc: '18.5', safety: '14' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof PodiumError) return err.code;
    throw err;
  }
}

describe.each(storeKinds(inject('redisUrl')))('ContestService ($name store)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await kind.open());
  });
  afterAll(async () => close());

  it('answers a repeated opId with the first result and appends nothing', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup, 'electrician', 'prelim');
    const judge = judgeActor(setup, 'electrician-j2');
    const command = submit(setup, 'electrician-001', MARKS);
    const first = await service.execute(judge, command);
    const length = await logLength(store, setup.id);
    const again = await service.execute(judge, command);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.sheet).toEqual(first.sheet);
    expect(await logLength(store, setup.id)).toBe(length);

    // Even after the round closed, the tablet retrying its lost acknowledgement gets the first answer.
    await service.execute(ORGANISER, {
      name: 'round.state',
      payload: {
        opId: op(),
        competitionId: setup.id,
        eventId: 'electrician',
        roundId: 'prelim',
        state: 'closed',
      },
    });
    const late = await service.execute(judge, command);
    expect(late).toMatchObject({ duplicate: true, sheet: first.sheet });
    expect(await codeOf(service.execute(judge, submit(setup, 'electrician-001', MARKS)))).toBe(
      'round_not_open',
    );
  });

  it('refuses forbidden and invalid actions without changing the log or any board', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup, 'electrician', 'prelim');
    await service.execute(judgeActor(setup, 'electrician-j2'), submit(setup, 'electrician-001', MARKS));
    const length = await logLength(store, setup.id);
    const boards = await allBoards(store, setup.id);

    const otherEventJudge = judgeActor(setup, 'welding-j2');
    const plainJudge = judgeActor(setup, 'electrician-j3');
    const attempts: Array<[string, Promise<unknown>]> = [
      ['public', service.execute({ kind: 'public' }, submit(setup, 'electrician-001', MARKS))],
      ['other event', service.execute(otherEventJudge, submit(setup, 'electrician-001', MARKS))],
      [
        'other competition',
        service.execute(
          { kind: 'judge', judgeId: 'electrician-j2', competitionId: 'elsewhere', role: 'judge' },
          submit(setup, 'electrician-001', MARKS),
        ),
      ],
      [
        'integration marks',
        service.execute(
          { kind: 'integration', keyId: 'k', competitionId: setup.id },
          submit(setup, 'electrician-001', MARKS),
        ),
      ],
      [
        'judge deducts',
        service.execute(plainJudge, {
          name: 'deduction.add',
          payload: {
            opId: op(),
            competitionId: setup.id,
            eventId: 'electrician',
            roundId: 'prelim',
            contestantId: 'electrician-001',
            deduction: { id: 'x', points: '5', reason: 'no' },
          },
        }),
      ],
      [
        'judge opens round',
        service.execute(plainJudge, {
          name: 'round.state',
          payload: {
            opId: op(),
            competitionId: setup.id,
            eventId: 'electrician',
            roundId: 'prelim',
            state: 'closed',
          },
        }),
      ],
      ['judge changes set-up', service.execute(plainJudge, putSetup(setup))],
      ['off-step mark', service.execute(plainJudge, submit(setup, 'electrician-001', { faults: '20.5' }))],
      ['over max', service.execute(plainJudge, submit(setup, 'electrician-001', { plc: '20.5' }))],
      ['measured by judge', service.execute(plainJudge, submit(setup, 'electrician-001', { nope: '1' }))],
      ['unknown contestant', service.execute(plainJudge, submit(setup, 'welding-001', MARKS))],
      [
        'closed round',
        service.execute(plainJudge, {
          ...submit(setup, 'electrician-001', MARKS),
          payload: { ...submit(setup, 'electrician-001', MARKS).payload, roundId: 'final' },
        } as Command),
      ],
    ];
    const codes = Object.fromEntries(
      await Promise.all(attempts.map(async ([name, p]) => [name, await codeOf(p)])),
    );
    expect(codes).toEqual({
      public: 'forbidden',
      'other event': 'forbidden',
      'other competition': 'forbidden',
      'integration marks': 'forbidden',
      'judge deducts': 'forbidden',
      'judge opens round': 'forbidden',
      'judge changes set-up': 'forbidden',
      'off-step mark': 'invalid_payload',
      'over max': 'invalid_payload',
      'measured by judge': 'invalid_payload',
      'unknown contestant': 'not_found',
      'closed round': 'round_not_open',
    });

    // A finalized round refuses even the organiser's corrections.
    await service.execute(ORGANISER, {
      name: 'round.finalize',
      payload: { opId: op(), competitionId: setup.id, eventId: 'electrician', roundId: 'prelim' },
    });
    const finalLength = await logLength(store, setup.id);
    expect(
      await codeOf(
        service.execute(ORGANISER, {
          name: 'outcome.set',
          payload: {
            opId: op(),
            competitionId: setup.id,
            eventId: 'electrician',
            roundId: 'prelim',
            contestantId: 'electrician-001',
            outcome: 'dsq',
          },
        }),
      ),
    ).toBe('finalized');
    // Nor may a set-up edit move finalized rows: dropping a contestant of the finalized event.
    const edited = { ...setup, contestants: setup.contestants.filter((c) => c.id !== 'electrician-001') };
    expect(await codeOf(service.execute(ORGANISER, putSetup(edited)))).toBe('finalized');
    expect(finalLength).toBe(length + 1);
    expect(await logLength(store, setup.id)).toBe(finalLength);
    expect(await allBoards(store, setup.id)).toEqual(boards);
  });

  it('notifies board changes with previous ranks and the on-stage state', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup, 'electrician', 'prelim');
    await service.execute(ORGANISER, {
      name: 'stage.set',
      payload: {
        opId: op(),
        competitionId: setup.id,
        eventId: 'electrician',
        roundId: 'prelim',
        contestantId: 'electrician-002',
      },
    });
    const changes: ChangeNotification[] = [];
    service.onChange((c) => changes.push(c));
    const deltas: BoardDelta[] = [];
    const stop = store.changes({ delta: (d) => deltas.push(d), resync: () => undefined });
    await settle(); // Redis: let the subscription settle
    await service.execute(judgeActor(setup, 'electrician-j2'), submit(setup, 'electrician-002', MARKS));
    const change = changes[0];
    await expect.poll(() => deltas.some((d) => d.competitionId === setup.id)).toBe(true);
    stop();
    const delta = deltas.find(
      (d) => d.competitionId === setup.id && d.board === 'electrician|prelim|individual',
    );
    expect(delta).toMatchObject({ prev: 0, version: 1, removed: [] });
    expect(delta?.rows[0]).toMatchObject({
      id: 'electrician-002',
      rank: 1,
      previousRank: null,
      complete: false,
    });
    expect(change?.stage?.judges.filter((j) => j.marked).map((j) => j.judgeId)).toEqual(['electrician-j2']);
    // Blind judging: nobody's total shows before all five have marked.
    expect(change?.stage?.judges.every((j) => j.total === null)).toBe(true);
  });
  it('shows the public a frozen board, reveals pending results one per step, refuses a step beyond them, and hides embargoed events', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    const cid = setup.id;
    const board = 'electrician|prelim|individual';
    const round = { competitionId: cid, eventId: 'electrician', roundId: 'prelim' };
    await service.execute(ORGANISER, putSetup(setup));
    await openRound(service, setup, 'electrician', 'prelim');
    const judge = judgeActor(setup, 'electrician-j2');
    await service.execute(judge, submit(setup, 'electrician-001', MARKS));
    await service.execute(ORGANISER, {
      name: 'board.freeze',
      payload: { ...round, opId: op(), frozen: true },
    });

    const changes: ChangeNotification[] = [];
    service.onChange((c) => changes.push(c));
    await service.execute(judge, submit(setup, 'electrician-002', { ...MARKS, wiring: '35' }));
    expect((await service.publicView(cid)).live(board)).toBe(false);
    const ids = async (audience: 'public' | 'staff') =>
      (await service.boardSnapshot(cid, board, audience)).rows.map((r) => `${r.rank}:${r.id}`);
    expect(await ids('staff')).toEqual(['1:electrician-002', '2:electrician-001']);
    expect(await ids('public')).toEqual(['1:electrician-001']);
    expect((await service.boardSnapshot(cid, board, 'public')).reveal).toEqual({
      pending: [],
      hidden: ['electrician-002'],
      next: 'electrician-002',
    });
    // One step, one visible change: the contestant scored behind the freeze appears.
    await service.execute(ORGANISER, { name: 'board.reveal', payload: { ...round, opId: op() } });
    expect(await ids('public')).toEqual(['1:electrician-002', '2:electrician-001']);
    const after = await service.boardSnapshot(cid, board, 'public');
    expect(after).toMatchObject({ frozen: true, reveal: { pending: [], hidden: [], next: null } });
    // Regression: a step beyond the last pending result counted "3 revealed of 2"; now it is refused.
    await expect(
      service.execute(ORGANISER, { name: 'board.reveal', payload: { ...round, opId: op() } }),
    ).rejects.toMatchObject({ code: 'nothing_to_reveal' });
    expect((await service.getControl(cid)).frozen['electrician|prelim']).toEqual({ revealed: 1 });

    await service.execute(ORGANISER, {
      name: 'event.embargo',
      payload: { opId: op(), competitionId: cid, eventId: 'electrician', embargoed: true },
    });
    expect(await service.boardSnapshot(cid, board, 'public')).toMatchObject({ rows: [], total: 0 });
    expect(await ids('staff')).toHaveLength(2);
    expect((await service.getControl(cid)).embargoed).toEqual(['electrician']);
  });
});

describe('two nodes on one Redis', () => {
  it('counts every judge when judges submit the same contestants concurrently through different nodes', async () => {
    const storeA = new RedisStore(inject('redisUrl'));
    const storeB = new RedisStore(inject('redisUrl'));
    let conflicts = 0;
    const counting = (s: Store): Store =>
      Object.assign(Object.create(s) as Store, {
        commit: async (cid: string, c: Commit): Promise<CommitOutcome> => {
          const outcome = await s.commit(cid, c);
          if (outcome.status === 'conflict') conflicts++;
          return outcome;
        },
      });
    try {
      const nodeA = new ContestService({ store: counting(storeA) });
      const nodeB = new ContestService({ store: counting(storeB) });
      const setup = smallCompetition(8);
      await nodeA.execute(ORGANISER, putSetup(setup));
      await openRound(nodeA, setup, 'electrician', 'prelim');
      const contestants = setup.contestants.filter((c) => c.eventId === 'electrician').map((c) => c.id);
      const judges = setup.judges.filter((j) => j.eventIds.includes('electrician'));
      await Promise.all(
        contestants.flatMap((contestantId) =>
          judges.map((judge, i) =>
            (i % 2 === 0 ? nodeA : nodeB).execute(
              judgeActor(setup, judge.id),
              submit(setup, contestantId, MARKS),
            ),
          ),
        ),
      );
      for (const contestantId of contestants) {
        const sheet = await storeA.getSheet(setup.id, {
          eventId: 'electrician',
          roundId: 'prelim',
          contestantId,
        });
        expect(Object.keys(sheet.value.marks).sort()).toEqual(judges.map((j) => j.id).sort());
      }
      const rows = await storeA.top(setup.id, 'electrician|prelim|individual', 0, 100);
      expect(rows).toHaveLength(contestants.length);
      expect(rows.every((r) => r.complete && r.total === '87.50' && r.rank === 1)).toBe(true);
      expect(conflicts).toBeGreaterThan(0);
      expect((await rebuild(storeA, setup.id)).differences).toEqual([]);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});
