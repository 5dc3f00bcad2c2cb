/** Reveal-ceremony texts. */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const ceremonyMessages: Dictionary = {
  'zh-CN': {
    'ceremony.title': '成绩揭晓',
    'ceremony.missing': '请在地址中指定比赛和轮次：/ceremony/?c=比赛编号&e=项目&r=轮次',
    'ceremony.signin': '请先在控制台登录，再打开揭晓页面。',
    'ceremony.console': '打开控制台',
    'ceremony.not_frozen': '本轮成绩尚未冻结。冻结后评委继续打分，结果在揭晓时从最后一名起逐一公布。',
    'ceremony.freeze': '冻结成绩',
    'ceremony.next': '揭晓下一名',
    'ceremony.keys': '空格、→ 或翻页笔：揭晓下一名',
    'ceremony.progress': '已揭晓 {revealed} 名 · 待揭晓 {left} 名',
    'ceremony.final': '最终成绩',
    'ceremony.final_note': '全部成绩已揭晓',
    'ceremony.pending': '待揭晓',
    'ceremony.new': '新成绩待揭晓',
    'ceremony.spotlight': '正在揭晓',
    'ceremony.busy': '揭晓中…',
    'ceremony.error': '揭晓失败：{message}',
  },
  en: {
    'ceremony.title': 'Results reveal',
    'ceremony.missing':
      'Add the competition and round to the address: /ceremony/?c=competition&e=event&r=round',
    'ceremony.signin': 'Sign in to the console first, then open the reveal page.',
    'ceremony.console': 'Open the console',
    'ceremony.not_frozen':
      'This round is not frozen. Freeze it: marks given after that are revealed one by one, from the last place up.',
    'ceremony.freeze': 'Freeze results',
    'ceremony.next': 'Reveal next',
    'ceremony.keys': 'Space, → or a presenter clicker: reveal next',
    'ceremony.progress': '{revealed} revealed · {left} to reveal',
    'ceremony.final': 'Final results',
    'ceremony.final_note': 'Every result is revealed',
    'ceremony.pending': 'pending',
    'ceremony.new': 'new result to come',
    'ceremony.spotlight': 'Now revealing',
    'ceremony.busy': 'Revealing…',
    'ceremony.error': 'Reveal failed: {message}',
  },
};
