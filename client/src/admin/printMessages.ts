/** Texts of the console's print menu (score sheets, results notice, certificates, marks export). */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const printMenuMessages: Dictionary = {
  'zh-CN': {
    'admin.print.title': '打印与证书',
    'admin.print.event': '项目',
    'admin.print.round': '轮次',
    'admin.print.contestant': '选手',
    'admin.print.all': '全部选手',
    'admin.print.sheets': '打印评分表',
    'admin.print.notice': '打印成绩公示表',
    'admin.print.certificates': '打印获奖证书',
    'admin.print.marks_csv': '评分明细 CSV（逐裁判逐评分项）',
    'admin.print.hint':
      '打印页面在新标签页打开（A4）；证书二维码指向公开查验页面。总成绩只能打印公示表和证书。',
  },
  en: {
    'admin.print.title': 'Print and certificates',
    'admin.print.event': 'Event',
    'admin.print.round': 'Round',
    'admin.print.contestant': 'Contestant',
    'admin.print.all': 'All contestants',
    'admin.print.sheets': 'Print score sheets',
    'admin.print.notice': 'Print results notice',
    'admin.print.certificates': 'Print certificates',
    'admin.print.marks_csv': 'Marks CSV (per judge, per criterion)',
    'admin.print.hint':
      'Print pages open in a new tab (A4); a certificate’s QR code leads to the public check. The overall result prints a notice and certificates only.',
  },
};
