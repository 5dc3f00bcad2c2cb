/** A small set-up the CSV importers resolve events and teams against. */
import { competitionSchema, type Competition } from '../../../shared/model.ts';

export function setupWithEvents(): Competition {
  return competitionSchema.parse({
    id: 'skills-2026',
    name: '职业技能大赛',
    events: [
      {
        id: 'weld',
        name: '焊工',
        criteria: [{ id: 'quality', label: '质量', max: 100, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
      },
      {
        id: 'elec',
        name: '电工',
        criteria: [{ id: 'safety', label: '安全', max: 10, step: 1 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      { id: 'A001', eventId: 'weld', bib: 'A001', name: '王五', organisation: '一厂', region: '江苏' },
    ],
    teams: [{ id: 'team-js', name: '江苏队' }],
    judges: [{ id: 'j1', name: '赵六', role: 'judge', eventIds: ['weld'] }],
  });
}
