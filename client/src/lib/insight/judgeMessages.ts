/**
 * Texts of judge consistency (console, chief view, printed report) and rank over time (spectator
 * page, overlay movers line). Registered on import.
 */
import { registerDictionary, type Dictionary } from '../i18n.svelte.ts';

export const judgeInsightMessages: Dictionary = {
  'zh-CN': {
    'consistency.title': '裁判评分一致性',
    'consistency.hint':
      '每位裁判的打分与同一评分表、同一评分项上其他裁判平均分的差（留一法）。仅供参考，不改变任何成绩。',
    'consistency.round.all': '全部轮次',
    'consistency.col.judge': '裁判',
    'consistency.col.marks': '打分数',
    'consistency.col.mean': '平均偏差',
    'consistency.col.abs': '平均绝对偏差',
    'consistency.col.offset': '宽严倾向',
    'consistency.col.flagged': '分歧提醒',
    'consistency.chief': '裁判长',
    'consistency.lenient': '偏宽',
    'consistency.strict': '偏严',
    'consistency.none': '尚无可比较的打分（每个评分项至少需两位裁判打分）。',
    'consistency.print': '打印一致性报告',
    'consistency.updated': '更新于 {time}',
    'consistency.error': '无法加载一致性数据：{message}',
    'consistency.report.title': '裁判评分一致性报告',
    'consistency.report.sheets': '共 {count} 份评分表',
    'consistency.report.intro':
      '本报告按留一法统计各裁判的打分与同组其他裁判的差异，用于赛后评估裁判工作，不改变任何成绩与名次。',
    'consistency.note.mean':
      '平均偏差：裁判打分减去同一评分表、同一评分项上其他裁判打分的平均值，再对其全部打分取平均（单位：分）。',
    'consistency.note.offset':
      '宽严倾向：平均偏差占该评分项分值范围（最高分 − 最低分）的百分比；正数偏宽（高于其他裁判），负数偏严。',
    'consistency.note.flagged': '分歧提醒：超出评分项分歧容差的打分次数 / 设有容差的评分项上的打分次数。',
    'consistency.note.blind': '本项目为盲评：只统计全部裁判均已评完的评分表。',
    'consistency.note.informs': '本报告仅供参考，不改变任何成绩。',
    'history.title': '名次变化',
    'history.loading': '正在加载名次变化…',
    'history.none': '还没有名次。',
    'history.frozen': '排名已冻结：只显示冻结前的名次变化。',
    'history.embargoed': '成绩暂不公开',
    'history.rank': '名次',
    'history.change': '第几次变化',
    'history.summary': '共 {count} 次变化，当前第 {rank} 名',
    'movers.label': '名次变化',
  },
  en: {
    'consistency.title': 'Judge consistency',
    'consistency.hint':
      "Each judge's marks against the mean of the other judges' marks on the same sheet and criterion (leave-one-out). It informs; it never changes a score.",
    'consistency.round.all': 'All rounds',
    'consistency.col.judge': 'Judge',
    'consistency.col.marks': 'Marks',
    'consistency.col.mean': 'Mean deviation',
    'consistency.col.abs': 'Mean abs. deviation',
    'consistency.col.offset': 'Severity offset',
    'consistency.col.flagged': 'Divergence flags',
    'consistency.chief': 'chief judge',
    'consistency.lenient': 'lenient',
    'consistency.strict': 'strict',
    'consistency.none': 'Nothing to compare yet (a criterion needs marks from at least two judges).',
    'consistency.print': 'Print consistency report',
    'consistency.updated': 'Updated {time}',
    'consistency.error': 'Could not load judge consistency: {message}',
    'consistency.report.title': 'Judge consistency report',
    'consistency.report.sheets': '{count} score sheets',
    'consistency.report.intro':
      "This report compares each judge's marks with the rest of the panel (leave-one-out) to review the judging after the contest. It changes no score and no rank.",
    'consistency.note.mean':
      "Mean deviation: the judge's mark minus the mean of the other judges' marks on the same sheet and criterion, averaged over all their marks (points).",
    'consistency.note.offset':
      "Severity offset: the mean deviation as a percentage of the criterion's range (max − min); positive is lenient (above the panel), negative strict.",
    'consistency.note.flagged':
      "Divergence flags: marks beyond the criterion's divergence tolerance / marks on criteria with a tolerance.",
    'consistency.note.blind': 'Blind judging: only sheets every judge has fully marked count.',
    'consistency.note.informs': 'For information only; it changes no score.',
    'history.title': 'Rank over time',
    'history.loading': 'Loading rank history…',
    'history.none': 'No rank yet.',
    'history.frozen': 'The ranking is frozen: changes up to the freeze only.',
    'history.embargoed': 'Results are not public yet',
    'history.rank': 'Rank',
    'history.change': 'Change',
    'history.summary': '{count} changes, now #{rank}',
    'movers.label': 'Movers',
  },
};

registerDictionary(judgeInsightMessages);
