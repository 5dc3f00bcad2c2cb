/** Texts of the spectator page's whole-field list (FieldList.svelte). */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const fieldMessages: Dictionary = {
  'zh-CN': {
    'watch.field.title': '全部选手（出场顺序）',
    'watch.field.count': '已报名 {registered} 人 · 已有成绩 {scored} 人',
    'watch.field.search': '按编号、姓名或单位查找',
    'watch.field.none': '没有找到',
    'watch.field.more': '还有 {count} 人，请输入查找',
    'watch.field.waiting': '等待出场',
    'watch.field.on_stage': '正在比赛',
    'watch.field.being_marked': '评分中',
    'watch.field.scored': '已评分',
    'watch.field.dns': '弃权',
    'watch.field.dnf': '未完成',
    'watch.field.dsq': '取消资格',
  },
  en: {
    'watch.field.title': 'The whole field (start order)',
    'watch.field.count': '{registered} registered · {scored} with a score',
    'watch.field.search': 'Find by bib, name or organisation',
    'watch.field.none': 'Nobody found',
    'watch.field.more': '{count} more: type to find',
    'watch.field.waiting': 'waiting',
    'watch.field.on_stage': 'on stage',
    'watch.field.being_marked': 'being marked',
    'watch.field.scored': 'scored',
    'watch.field.dns': 'DNS',
    'watch.field.dnf': 'DNF',
    'watch.field.dsq': 'DSQ',
  },
};
