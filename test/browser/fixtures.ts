/**
 * A realistic demo competition for the browser tests: one welding event (two rounds, three judges),
 * twelve contestants from several organisations and regions, teams, medals and standings.
 */
import { randomUUID } from 'node:crypto';
import { commandSchemas, type Command, type CommandInput, type CommandName } from '../../shared/commands.ts';
import type { CompetitionInput } from '../../shared/model.ts';

export const EVENT = 'weld';
export const ROUND = 'r1';
export const JUDGES = ['j1', 'j2', 'j3'] as const;

const people: Array<[string, string, string, string | undefined]> = [
  ['张伟', '中国石化第一建设公司', '北京', 't1'],
  ['王芳', '上海电气集团', '上海', 't2'],
  ['李娜', '广州造船厂', '广东', undefined],
  ['刘洋', '中国石化第一建设公司', '北京', 't1'],
  ['陈静', '上海电气集团', '上海', 't2'],
  ['杨磊', '武汉重型机床集团有限公司', '湖北', undefined],
  ['赵敏', '广州造船厂', '广东', 't3'],
  ['黄强', '四川工程职业技术学院', '四川', 't3'],
  ['周杰', '四川工程职业技术学院', '四川', undefined],
  ['吴婷', '哈尔滨电机厂有限责任公司', '黑龙江', undefined],
  ['欧阳慕容雪晴·阿依古丽', '新疆维吾尔自治区特种设备检验研究院焊接技术中心', '新疆', undefined],
  ['Jonathan Featherstonehaugh', 'Hong Kong Institute of Vocational Education (Tsing Yi)', '香港', undefined],
];

/** The competition set-up, with `id` as its id. */
export function demoCompetition(id: string): CompetitionInput {
  return {
    id,
    name: '2026 全国职业技能大赛 · 焊工决赛',
    events: [
      {
        id: EVENT,
        name: '焊工',
        criteria: [
          { id: 'quality', label: '焊缝质量', max: 50, step: 0.5 },
          { id: 'safety', label: '安全规范', max: 30, step: 0.5 },
          { id: 'speed', label: '操作效率', max: 20, step: 0.5 },
        ],
        scoring: {
          aggregation: { kind: 'mean' },
          decimals: 2,
          teamStanding: { method: 'sum', bestN: 2 },
          organisationStanding: { method: 'mean', bestN: 3 },
          medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
          blind: false,
        },
        rounds: [
          { id: ROUND, name: '实操考核', kind: 'final', mode: 'onsite', weight: '0.7' },
          { id: 'r2', name: '理论考试', kind: 'final', mode: 'online', weight: '0.3' },
        ],
      },
    ],
    contestants: people.map(([name, organisation, region, teamId], i) => ({
      id: `c${i + 1}`,
      eventId: EVENT,
      bib: `A${String(i + 1).padStart(3, '0')}`,
      name,
      organisation,
      region,
      category: i % 3 === 2 ? '学生组' : '职工组',
      ...(teamId === undefined ? {} : { teamId }),
    })),
    teams: [
      { id: 't1', name: '北京石化代表队' },
      { id: 't2', name: '上海电气代表队' },
      { id: 't3', name: '西部联队' },
    ],
    judges: JUDGES.map((jid, i) => ({
      id: jid,
      name: ['李评委', '王评委', '陈裁判长'][i] ?? jid,
      role: i === 2 ? ('chief' as const) : ('judge' as const),
      // The chief judge of these pages also marks, as a member of the panel (docs/RULES.md §13).
      ...(i === 2 ? { panel: true } : {}),
      eventIds: [EVENT],
    })),
  };
}

const opId = (): string => randomUUID();
/** A mark on the 0.5 step, as a decimal string. */
const half = (x: number): string => String(Math.round(x * 2) / 2);

/** A command validated exactly as the server's boundary would (defaults filled in). */
export function command<N extends CommandName>(name: N, payload: CommandInput<N>): Command {
  return { name, payload: commandSchemas[name].parse(payload) } as Command;
}

/** Commands an organiser runs to set the competition up, open round 1 and put `onStage` on stage. */
export function setupCommands(id: string, onStage: string): Command[] {
  const round = { competitionId: id, eventId: EVENT, roundId: ROUND };
  return [
    command('setup.put', { opId: opId(), competition: demoCompetition(id) }),
    command('round.state', { opId: opId(), ...round, state: 'open' }),
    command('stage.set', { opId: opId(), ...round, contestantId: onStage }),
  ];
}

/** A judge's marks for one contestant; `base` shifts the whole sheet so contestants differ. */
export function marksCommand(id: string, contestantId: string, base: number): Command {
  return command('marks.submit', {
    opId: opId(),
    competitionId: id,
    eventId: EVENT,
    roundId: ROUND,
    contestantId,
    marks: { quality: half(base), safety: half(Math.min(30, base / 2)), speed: half(Math.min(20, base / 3)) },
  });
}
