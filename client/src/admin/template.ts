/** Starting points for a new competition: an empty one-event skeleton and a small demo. */
import type { CompetitionInput } from '../../../shared/model.ts';

/** The smallest valid set-up: one event, one round, one criterion. */
export function blankCompetition(id: string, name: string): CompetitionInput {
  return {
    id,
    name,
    events: [
      {
        id: 'event-1',
        name: '赛项一',
        criteria: [{ id: 'c1', label: '作品质量', max: 100, min: 0, step: 0.5, weight: '1', kind: 'judged' }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2, blind: true },
        rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite', weight: '1' }],
      },
    ],
    contestants: [],
    teams: [],
    judges: [],
  };
}

/** A small demo: two events, trimmed-mean and mean rules, a dozen contestants, five judges. */
export function demoCompetition(id: string, name: string): CompetitionInput {
  const orgs = ['上海电气', '宝武钢铁', '中车株洲', '徐工集团', '潍柴动力', '海尔智家'];
  const regions = ['上海', '湖北', '湖南', '江苏', '山东', '山东'];
  const names = [
    '王建国',
    '李秀英',
    '张伟',
    '刘洋',
    '陈静',
    '杨磊',
    '赵敏',
    '黄强',
    '周婷',
    '吴斌',
    '徐丽',
    '孙浩',
  ];
  return {
    id,
    name,
    teams: [
      { id: 'team-a', name: '华东代表队' },
      { id: 'team-b', name: '华中代表队' },
    ],
    events: [
      {
        id: 'welding',
        name: '焊工',
        criteria: [
          {
            id: 'appearance',
            label: '焊缝外观',
            max: 30,
            min: 0,
            step: 0.5,
            weight: '1',
            kind: 'judged',
            divergenceTolerance: 5,
          },
          {
            id: 'technique',
            label: '操作规范',
            max: 40,
            min: 0,
            step: 0.5,
            weight: '1',
            kind: 'judged',
            divergenceTolerance: 6,
          },
          { id: 'safety', label: '安全文明', max: 30, min: 0, step: 1, weight: '1', kind: 'judged' },
        ],
        scoring: {
          aggregation: { kind: 'trimmed', trim: 1 },
          decimals: 2,
          tieBreak: { criteria: ['technique'], earlierFinish: false },
          teamStanding: { method: 'sum', bestN: 3 },
          medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
          blind: true,
        },
        rounds: [
          { id: 'prelim', name: '初赛', kind: 'preliminary', mode: 'onsite', weight: '0.4' },
          { id: 'final', name: '决赛', kind: 'final', mode: 'onsite', weight: '0.6' },
        ],
      },
      {
        id: 'electrician',
        name: '电工',
        criteria: [
          { id: 'wiring', label: '接线工艺', max: 10, min: 0, step: 0.1, weight: '2', kind: 'judged' },
          { id: 'function', label: '功能调试', max: 10, min: 0, step: 0.1, weight: '1', kind: 'judged' },
          { id: 'time', label: '完成用时得分', max: 20, min: 0, step: 0.01, weight: '1', kind: 'measured' },
        ],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2, blind: false },
        rounds: [{ id: 'final', name: '决赛', kind: 'final', mode: 'onsite', weight: '1' }],
      },
    ],
    contestants: names.map((personName, i) => ({
      id: `p${i + 1}`,
      eventId: i < 8 ? 'welding' : 'electrician',
      bib: String(101 + i),
      name: personName,
      organisation: orgs[i % orgs.length] ?? '',
      region: regions[i % regions.length] ?? '',
      ...(i < 8 ? { teamId: i % 2 === 0 ? 'team-a' : 'team-b' } : {}),
      category: i % 3 === 0 ? '学生组' : '职工组',
    })),
    judges: [
      { id: 'j1', name: '裁判长 马红', role: 'chief', eventIds: ['welding', 'electrician'] },
      { id: 'j2', name: '裁判 林涛', role: 'judge', eventIds: ['welding'] },
      { id: 'j3', name: '裁判 郑磊', role: 'judge', eventIds: ['welding'] },
      { id: 'j4', name: '裁判 何芳', role: 'judge', eventIds: ['welding', 'electrician'] },
      { id: 'j5', name: '裁判 罗军', role: 'judge', eventIds: ['electrician'] },
    ],
  };
}
