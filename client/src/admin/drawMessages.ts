/** Texts of anonymised events in the console (AnonymisedSetting, DrawPanel), zh-CN and English. */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const drawMessages: Dictionary = {
  'zh-CN': {
    'admin.draw.setting': '加密评分（裁判和公开页面只显示抽签号）',
    'admin.draw.setting_help': '抽签后、解密前，任何页面、导出和数据接口都不显示选手姓名、单位和团队。',
    'admin.draw.title': '加密号（抽签与解密）',
    'admin.draw.none': '没有设为加密评分的赛项。可在“设置”中为赛项勾选“加密评分”。',
    'admin.draw.status.none': '尚未抽签',
    'admin.draw.status.drawn': '已抽签（{count} 名选手）',
    'admin.draw.status.requested': '已申请解密，等待裁判长在评分平板上确认',
    'admin.draw.status.decoded': '已解密：各页面显示姓名',
    'admin.draw.make': '抽签（服务器随机）',
    'admin.draw.redraw': '重新抽签',
    'admin.draw.confirm_make': '为「{event}」的 {count} 名选手抽取加密号？开始评分后不能再重新抽签。',
    'admin.draw.confirm_redraw': '重新抽签会替换「{event}」现有的全部加密号。确定？',
    'admin.draw.made': '「{event}」已抽签',
    'admin.draw.decode': '申请解密',
    'admin.draw.confirm_decode':
      '申请解密「{event}」？须全部成绩已由裁判长签字、各轮已结束；裁判长确认后，所有页面显示选手姓名，不可撤销。',
    'admin.draw.decode_asked': '已申请解密「{event}」，请裁判长在评分平板上确认',
    'admin.draw.show_list': '显示对照表（加密号 ↔ 选手）',
    'admin.draw.hide_list': '隐藏对照表',
    'admin.draw.col.number': '加密号',
    'admin.draw.rule': '双人规则：组委会（加密员）抽签并申请解密，该赛项裁判长确认；两步都记入操作日志。',
  },
  en: {
    'admin.draw.setting': 'Anonymised (judges and public pages see only drawn numbers)',
    'admin.draw.setting_help':
      'After the draw and until decoding, no page, export or data feed shows names, organisations or teams.',
    'admin.draw.title': 'Drawn numbers (draw and decode)',
    'admin.draw.none': 'No event is anonymised. Tick “Anonymised” for an event under Set-up.',
    'admin.draw.status.none': 'Not drawn yet',
    'admin.draw.status.drawn': 'Drawn ({count} contestants)',
    'admin.draw.status.requested': 'Decoding asked for: waiting for the chief judge to confirm on the tablet',
    'admin.draw.status.decoded': 'Decoded: pages show names',
    'admin.draw.make': 'Draw numbers (server, random)',
    'admin.draw.redraw': 'Draw again',
    'admin.draw.confirm_make':
      'Draw numbers for the {count} contestants of “{event}”? Once judging starts the draw cannot be repeated.',
    'admin.draw.confirm_redraw': 'Drawing again replaces every number of “{event}”. Continue?',
    'admin.draw.made': '“{event}” is drawn',
    'admin.draw.decode': 'Ask to decode',
    'admin.draw.confirm_decode':
      'Ask to decode “{event}”? Every result must be signed by the chief judge and every round closed. Once the chief judge confirms, every page shows names; this cannot be undone.',
    'admin.draw.decode_asked': 'Decoding of “{event}” asked for: the chief judge confirms on the tablet',
    'admin.draw.show_list': 'Show the list (number ↔ contestant)',
    'admin.draw.hide_list': 'Hide the list',
    'admin.draw.col.number': 'Number',
    'admin.draw.rule':
      'Two-person rule: the organiser (encryption officer) draws and asks to decode, the event’s chief judge confirms; both steps are in the audit log.',
  },
};
