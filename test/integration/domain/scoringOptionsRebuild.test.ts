/**
 * Issue #14: a competition scored live with the new scoring options — measured criteria converted
 * by a tolerance table and a linear scale, a lower-wins time event with penalties, rounds
 * combined once at the end, negative totals kept, DNS in a final — rebuilds from its log with
 * zero differences, in both stores, and its boards show what docs/RULES.md promises.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import { competitionSchema, type Competition } from '../../../shared/model.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { simulateJudging } from '../../../server/demo/simulate.ts';
import type { Store } from '../../../server/store/index.ts';
import { judgeActor, ORGANISER, op, putSetup, smallCompetition, storeKinds } from './helpers.ts';

/** The demo set-up with every new option in use. */
function withNewOptions(base: Competition): Competition {
  return competitionSchema.parse({
    ...base,
    events: base.events.map((e) => {
      if (e.id === 'welding') {
        return {
          ...e,
          scoring: { ...e.scoring, roundRounding: 'once-at-end', floorAtZero: false },
          criteria: e.criteria.map((c) =>
            c.id === 'xray'
              ? {
                  ...c,
                  convert: {
                    kind: 'tolerance',
                    target: '30',
                    bands: [
                      { within: '2', points: '35' },
                      { within: '5', points: '20' },
                      { within: '10', points: '5' },
                    ],
                  },
                }
              : c,
          ),
        };
      }
      if (e.id === 'cnc') {
        return {
          ...e,
          criteria: e.criteria.map((c) =>
            c.id === 'precision'
              ? { ...c, convert: { kind: 'linear', best: '38', cutoff: '10', points: '40' } }
              : c,
          ),
        };
      }
      // Electrician becomes a time trial: the chief enters seconds, the fastest wins.
      return {
        ...e,
        criteria: [{ id: 'time', label: '用时', kind: 'measured', max: 3600, step: 0.01 }],
        scoring: {
          ...e.scoring,
          better: 'lower',
          roundRounding: 'once-at-end',
          tieBreak: { criteria: [], earlierFinish: false },
        },
      };
    }),
  });
}

describe.each(storeKinds(inject('redisUrl')))(
  'new scoring options rebuild identically ($name store)',
  (kind) => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await kind.open());
    });
    afterAll(async () => close());

    it('conversions, lower-wins, once-at-end rounds, negative totals and DNS in a final: live boards equal their rebuild', async () => {
      const service = new ContestService({ store });
      const setup = withNewOptions(smallCompetition(6));
      const cid = setup.id;
      await service.execute(ORGANISER, putSetup(setup));
      for (const roundId of ['prelim', 'final']) {
        await simulateJudging(service, setup, {
          roundId,
          eventIds: ['welding', 'cnc'],
          runId: `opt-${roundId}`,
        });
      }

      const chief = (eventId: string): Actor => judgeActor(setup, `${eventId}-j1`);
      const run = (actor: Actor, command: Command) => service.execute(actor, command);
      const sheet = (eventId: string, roundId: string, contestantId: string) => ({
        competitionId: cid,
        eventId,
        roundId,
        contestantId,
        opId: op(),
      });

      // A deduction larger than the marks: with floorAtZero false the total stays negative.
      await run(ORGANISER, {
        name: 'round.state',
        payload: { competitionId: cid, eventId: 'welding', roundId: 'prelim', opId: op(), state: 'open' },
      });
      await run(chief('welding'), {
        name: 'deduction.add',
        payload: {
          ...sheet('welding', 'prelim', 'welding-002'),
          deduction: { id: 'big', points: '500', reason: '严重违规' },
        },
      });
      await run(ORGANISER, {
        name: 'round.state',
        payload: { competitionId: cid, eventId: 'welding', roundId: 'final', opId: op(), state: 'open' },
      });
      await run(chief('welding'), {
        name: 'outcome.set',
        payload: { ...sheet('welding', 'final', 'welding-003'), outcome: 'dns', reason: '未到场' },
      });

      // The time trial, scored by hand: two rounds, a penalty, a DNS in the final.
      const times: Record<string, [string, string | null]> = {
        'electrician-001': ['61.25', '60.10'],
        'electrician-002': ['58.90', '59.95'],
        'electrician-003': ['58.90', null],
        'electrician-004': ['75.5', '70.01'],
      };
      for (const roundId of ['prelim', 'final']) {
        await run(ORGANISER, {
          name: 'round.state',
          payload: { competitionId: cid, eventId: 'electrician', roundId, opId: op(), state: 'open' },
        });
        for (const [contestantId, [prelim, final]] of Object.entries(times)) {
          const value = roundId === 'prelim' ? prelim : final;
          if (value === null) {
            await run(chief('electrician'), {
              name: 'outcome.set',
              payload: { ...sheet('electrician', roundId, contestantId), outcome: 'dns', reason: '弃权' },
            });
            continue;
          }
          await run(chief('electrician'), {
            name: 'measured.enter',
            payload: { ...sheet('electrician', roundId, contestantId), criterionId: 'time', value },
          });
        }
      }
      await run(chief('electrician'), {
        name: 'deduction.add',
        payload: {
          ...sheet('electrician', 'final', 'electrician-001'),
          deduction: { id: 'p', points: '5', reason: '罚时' },
        },
      });

      // What the organiser sees: lower wins, penalties added, rounds combined exactly, DNS unranked.
      const overall = await store.top(cid, 'electrician|overall|individual', 0, 100);
      // 0.3 × 58.90 + 0.7 × 59.95 = 59.635 → 59.64; 0.3 × 61.25 + 0.7 × 65.10 = 63.945 → 63.95;
      // 0.3 × 75.5 + 0.7 × 70.01 = 71.657 → 71.66 (the demo's weights are 0.3 / 0.7).
      expect(overall.map((r) => [r.id, r.outcome === 'ok' ? r.total : '—', r.rank])).toEqual([
        ['electrician-002', '59.64', 1],
        ['electrician-001', '63.95', 2],
        ['electrician-004', '71.66', 3],
        ['electrician-003', '—', null],
      ]);
      expect((await store.rankOf(cid, 'welding|prelim|individual', 'welding-002'))?.total).toMatch(/^-/);
      expect(await store.rankOf(cid, 'welding|overall|individual', 'welding-003')).toMatchObject({
        outcome: 'dns',
        rank: null,
      });

      const report = await rebuild(store, cid);
      expect(report.differences).toEqual([]);
      expect(report.rows).toBeGreaterThan(30);
    });
  },
);
