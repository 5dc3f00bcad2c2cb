/** What a node remembers between commands: it saves reads, and never hides another node's writes. */
import { describe, expect, inject, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import type { Competition } from '../../../shared/model.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { RedisStore, type Store } from '../../../server/store/index.ts';
import { judgeActor, ORGANISER, op, putSetup, smallCompetition } from './helpers.ts';

const KEY = { eventId: 'electrician', roundId: 'prelim' };

function submit(setup: Competition, contestantId: string, marks: Record<string, string>): Command {
  return {
    name: 'marks.submit',
    payload: { opId: op(), competitionId: setup.id, ...KEY, contestantId, marks },
  };
}

/** The store, counting the calls made to each method. */
function counted(store: Store): { store: Store; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(name)] = (calls[String(name)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe('ContestService caches on two nodes sharing Redis', () => {
  it('keeps every judge’s mark when another node changed a sheet this node remembers', async () => {
    const storeA = new RedisStore(inject('redisUrl'));
    const storeB = new RedisStore(inject('redisUrl'));
    try {
      const nodeA = new ContestService({ store: storeA });
      const nodeB = new ContestService({ store: storeB });
      const setup = smallCompetition(4);
      await nodeA.execute(ORGANISER, putSetup(setup));
      await nodeA.execute(ORGANISER, {
        name: 'round.state',
        payload: { opId: op(), competitionId: setup.id, ...KEY, state: 'open' },
      });
      const [c1, c2] = setup.contestants.filter((c) => c.eventId === KEY.eventId).map((c) => c.id);
      const judges = setup.judges.filter((j) => j.eventIds.includes(KEY.eventId)).map((j) => j.id);
      const [j0, j1, j2] = judges;
      if (!c1 || !c2 || !j0 || !j1 || !j2) throw new Error('the demo set-up is too small');

      await nodeA.execute(judgeActor(setup, j0), submit(setup, c1, { wiring: '30' }));
      await nodeA.execute(judgeActor(setup, j0), submit(setup, c2, { wiring: '20' }));
      await nodeB.execute(judgeActor(setup, j1), submit(setup, c1, { wiring: '25' }));
      // nodeA still remembers c1's sheet and board versions from before nodeB's write.
      await nodeA.execute(judgeActor(setup, j2), submit(setup, c1, { wiring: '28' }));

      const sheet = await storeA.getSheet(setup.id, { ...KEY, contestantId: c1 });
      expect(sheet.value.marks).toEqual({
        [j0]: { wiring: '30' },
        [j1]: { wiring: '25' },
        [j2]: { wiring: '28' },
      });
      expect((await rebuild(storeA, setup.id)).differences).toEqual([]);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });

  it('commits a mark without reading the store once it knows the sheet and boards', async () => {
    const redis = new RedisStore(inject('redisUrl'));
    try {
      const { store, calls } = counted(redis);
      const node = new ContestService({ store });
      const setup = smallCompetition(4);
      await node.execute(ORGANISER, putSetup(setup));
      await node.execute(ORGANISER, {
        name: 'round.state',
        payload: { opId: op(), competitionId: setup.id, ...KEY, state: 'open' },
      });
      const contestant = setup.contestants.find((c) => c.eventId === KEY.eventId)?.id ?? '';
      const judge = setup.judges.find((j) => j.eventIds.includes(KEY.eventId))?.id ?? '';
      await node.execute(judgeActor(setup, judge), submit(setup, contestant, { wiring: '10' }));
      for (const name of Object.keys(calls)) delete calls[name];

      const result = await node.execute(
        judgeActor(setup, judge),
        submit(setup, contestant, { wiring: '12' }),
      );
      expect(calls).toEqual({ commit: 1 });
      expect(result.sheet?.total).toBe(
        (await redis.rankOf(setup.id, `${KEY.eventId}|${KEY.roundId}|individual`, contestant))?.total,
      );
    } finally {
      await redis.close();
    }
  });
});
