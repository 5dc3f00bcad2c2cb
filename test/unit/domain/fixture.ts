/** A tiny hand-made competition for the pure domain tests. */
import { competitionSchema, type Competition } from '../../../shared/model.ts';
import type { Actor } from '../../../server/domain/actor.ts';

/** Event "lathe": 3 judges (j1 chief), judged criteria a (0-10 step 0.5) and b (1-5 step 0.1), measured m. */
export function fixture(): Competition {
  return competitionSchema.parse({
    id: 'cup',
    name: 'Cup',
    events: [
      {
        id: 'lathe',
        name: '车工',
        criteria: [
          { id: 'a', label: 'A', max: 10, step: 0.5 },
          { id: 'b', label: 'B', min: 1, max: 5, step: 0.1 },
          { id: 'm', label: 'M', max: 20, step: 0.25, kind: 'measured' },
        ],
        scoring: {
          aggregation: { kind: 'mean' },
          decimals: 2,
          teamStanding: { method: 'sum', bestN: 2 },
          organisationStanding: { method: 'mean', bestN: 2 },
        },
        rounds: [
          { id: 'r1', name: 'R1', kind: 'preliminary', mode: 'onsite', weight: '0.4' },
          { id: 'r2', name: 'R2', kind: 'final', mode: 'onsite', weight: '0.6' },
        ],
      },
      {
        id: 'weld',
        name: '焊工',
        criteria: [{ id: 'a', label: 'A', max: 10, step: 1 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 1 },
        rounds: [{ id: 'r1', name: 'R1', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      {
        id: 'c1',
        eventId: 'lathe',
        bib: '1',
        name: '王伟',
        organisation: 'OrgA',
        region: '湖南',
        teamId: 't1',
        category: '职工组',
      },
      {
        id: 'c2',
        eventId: 'lathe',
        bib: '2',
        name: '李娜',
        organisation: 'OrgA',
        region: '湖南',
        teamId: 't1',
        category: '学生组',
      },
      {
        id: 'c3',
        eventId: 'lathe',
        bib: '3',
        name: '张磊',
        organisation: 'OrgB',
        region: '江苏',
        teamId: 't1',
      },
      { id: 'c4', eventId: 'lathe', bib: '4', name: '刘洋', organisation: 'OrgB', region: '江苏' },
      { id: 'w1', eventId: 'weld', bib: '5', name: '陈静', organisation: 'OrgB', region: '江苏' },
    ],
    teams: [{ id: 't1', name: 'Team 1' }],
    judges: [
      { id: 'j1', name: 'Chief', role: 'chief', eventIds: ['lathe'] },
      { id: 'j2', name: 'J2', role: 'judge', eventIds: ['lathe'] },
      { id: 'j3', name: 'J3', role: 'judge', eventIds: ['lathe'] },
      { id: 'wj', name: 'WJ', role: 'chief', eventIds: ['weld'] },
    ],
  });
}

export const target = {
  opId: 'op-000001',
  competitionId: 'cup',
  eventId: 'lathe',
  roundId: 'r1',
  contestantId: 'c1',
};

export function judge(judgeId: string, role: 'judge' | 'chief' = 'judge', competitionId = 'cup'): Actor {
  return { kind: 'judge', judgeId, competitionId, role };
}

export const organiser: Actor = { kind: 'organiser', id: 'o' };
