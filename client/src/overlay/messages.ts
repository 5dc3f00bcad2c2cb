/** Stream overlay texts. */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const overlayMessages: Dictionary = {
  'zh-CN': {
    'overlay.missing': '缺少参数：/overlay/?c=比赛编号&e=赛项编号',
    'overlay.onStage': '正在比赛',
    'overlay.top': '实时排名 前 {count} 名',
    'overlay.total': '得分',
    'overlay.waiting': '评分中',
  },
  en: {
    'overlay.missing': 'Missing parameters: /overlay/?c=competition&e=event',
    'overlay.onStage': 'On stage',
    'overlay.top': 'Live top {count}',
    'overlay.total': 'Score',
    'overlay.waiting': 'Scoring',
  },
};
