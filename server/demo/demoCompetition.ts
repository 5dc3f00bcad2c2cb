/**
 * A realistic demo competition, generated deterministically from a seed: three events (焊工,
 * 数控车工, 电工) of 45 contestants each from real-sounding enterprises and schools, 5 judges per
 * event (one chief), trimmed-mean scoring, teams, 职工组/学生组 and two weighted rounds.
 */
import {
  competitionSchema,
  type Competition,
  type CompetitionInput,
  type Criterion,
} from '../../shared/model.ts';
import { ENTERPRISES, GIVEN_NAMES, HOME_PROVINCE, REGIONS, SCHOOLS, SURNAMES } from './names.ts';
import { seededRandom, type Random } from './random.ts';

export const DEMO_COMPETITION_ID = 'demo-2026';

interface EventPlan {
  id: string;
  name: string;
  bibPrefix: string;
  criteria: Array<Pick<Criterion, 'id' | 'label' | 'max' | 'step'> & { kind?: 'measured'; weight?: string }>;
}

const EVENTS: EventPlan[] = [
  {
    id: 'welding',
    name: '焊工',
    bibPrefix: 'H',
    criteria: [
      { id: 'appearance', label: '焊缝外观', max: 30, step: 0.5 },
      { id: 'forming', label: '焊缝成形', max: 25, step: 0.5 },
      { id: 'xray', label: '射线探伤', max: 35, step: 0.5, kind: 'measured' },
      { id: 'safety', label: '安全文明生产', max: 10, step: 1 },
    ],
  },
  {
    id: 'cnc',
    name: '数控车工',
    bibPrefix: 'C',
    criteria: [
      { id: 'precision', label: '尺寸精度', max: 40, step: 0.5, kind: 'measured' },
      { id: 'surface', label: '表面粗糙度', max: 20, step: 0.5 },
      { id: 'programming', label: '工艺与编程', max: 25, step: 0.5 },
      { id: 'conduct', label: '职业素养', max: 15, step: 1 },
    ],
  },
  {
    id: 'electrician',
    name: '电工',
    bibPrefix: 'D',
    criteria: [
      { id: 'wiring', label: '电路安装', max: 35, step: 0.5 },
      { id: 'faults', label: '故障排除', max: 30, step: 1 },
      { id: 'plc', label: 'PLC编程调试', max: 20, step: 0.5 },
      { id: 'safety', label: '安全规范', max: 15, step: 0.5 },
    ],
  },
];

export interface DemoOptions {
  seed?: number;
  competitionId?: string;
  contestantsPerEvent?: number;
}

function personName(rng: Random, taken: Set<string>): string {
  for (;;) {
    const name = rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
    if (!taken.has(name) || taken.size > 1500) {
      taken.add(name);
      return name;
    }
  }
}

function regionOf(rng: Random, organisation: string): string {
  const [province, cities] = REGIONS[HOME_PROVINCE[organisation] ?? 0] ?? ['北京', ['北京']];
  const city = rng.pick(cities);
  return province === city ? province : `${province}·${city}`;
}

/** The demo competition's set-up (validated), the same for the same options. */
export function demoCompetition(options: DemoOptions = {}): Competition {
  const rng = seededRandom(options.seed ?? 2026);
  const perEvent = options.contestantsPerEvent ?? 45;
  const names = new Set<string>();
  const input: CompetitionInput = {
    id: options.competitionId ?? DEMO_COMPETITION_ID,
    name: '2026年全国行业职业技能竞赛（演示）',
    events: [],
    contestants: [],
    teams: [],
    judges: [],
  };
  for (const plan of EVENTS) {
    input.events.push({
      id: plan.id,
      name: plan.name,
      criteria: plan.criteria.map((c) => ({
        ...c,
        min: 0,
        kind: c.kind ?? 'judged',
        weight: c.weight ?? '1',
        divergenceTolerance: c.max / 4,
      })),
      scoring: {
        aggregation: { kind: 'trimmed', trim: 1 },
        decimals: 2,
        tieBreak: { criteria: [plan.criteria[0]?.id ?? ''], earlierFinish: true },
        teamStanding: { method: 'sum', bestN: 3 },
        organisationStanding: { method: 'mean', bestN: 3 },
        medals: { kind: 'rank', gold: 1, silver: 3, bronze: 6 },
        blind: true,
      },
      rounds: [
        { id: 'prelim', name: '初赛', kind: 'preliminary', mode: 'onsite', weight: '0.3' },
        { id: 'final', name: '决赛', kind: 'final', mode: 'onsite', weight: '0.7' },
      ],
    });
    const teams = new Map<string, string>();
    for (let i = 1; i <= perEvent; i++) {
      const student = rng.next() < 0.3;
      const organisation = student ? rng.pick(SCHOOLS) : rng.pick(ENTERPRISES);
      // Enterprises field a team of their contestants in about half the cases.
      let teamId: string | undefined;
      if (!student && rng.next() < 0.5) {
        teamId = teams.get(organisation);
        if (teamId === undefined) {
          teamId = `${plan.id}-t${String(teams.size + 1).padStart(2, '0')}`;
          teams.set(organisation, teamId);
          input.teams?.push({ id: teamId, name: `${organisation.slice(0, 12)}${plan.name}代表队` });
        }
      }
      const number = String(i).padStart(3, '0');
      input.contestants.push({
        id: `${plan.id}-${number}`,
        eventId: plan.id,
        bib: `${plan.bibPrefix}${number}`,
        name: personName(rng, names),
        organisation,
        region: regionOf(rng, organisation),
        category: student ? '学生组' : '职工组',
        ...(teamId === undefined ? {} : { teamId }),
      });
    }
    for (let j = 1; j <= 5; j++) {
      input.judges?.push({
        id: `${plan.id}-j${j}`,
        name: personName(rng, names),
        role: j === 1 ? 'chief' : 'judge',
        // The demo's chief judge marks too, as one of the five on the panel.
        ...(j === 1 ? { panel: true } : {}),
        eventIds: [plan.id],
      });
    }
  }
  return competitionSchema.parse(input);
}
