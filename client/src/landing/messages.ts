/** Landing page texts. */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const landingMessages: Dictionary = {
  'zh-CN': {
    'landing.title': '技能大赛实时成绩',
    'landing.subtitle': '正在进行的比赛',
    'landing.none': '目前没有正在进行的比赛',
    'landing.loading': '正在获取比赛列表…',
    'landing.watch': '观众页',
    'landing.staff': '工作人员入口',
    'landing.console': '组委会控制台',
    'landing.judge': '裁判打分',
    'landing.leader': '领队申诉',
    'landing.screen': '大屏',
    'landing.overlay': '直播叠加',
    'landing.events': '{count} 个赛项',
    'landing.audience': '{count} 人在看',
  },
  en: {
    'landing.title': 'Live skills competition results',
    'landing.subtitle': 'Competitions now',
    'landing.none': 'No competition is running right now',
    'landing.loading': 'Fetching competitions…',
    'landing.watch': 'Follow live',
    'landing.staff': 'Staff',
    'landing.console': 'Organiser console',
    'landing.judge': 'Judge app',
    'landing.leader': 'Team leader appeals',
    'landing.screen': 'Big screen',
    'landing.overlay': 'Stream overlay',
    'landing.events': '{count} events',
    'landing.audience': '{count} watching',
  },
};
