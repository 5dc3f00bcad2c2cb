/** Texts of the chief judge's decode confirmation (DecodeConfirm.svelte), zh-CN and English. */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const decodeMessages: Dictionary = {
  'zh-CN': {
    'judge.decode.asked': '组委会申请对「{event}」解密：确认后，选手姓名与抽签号对应公开。',
    'judge.decode.confirm': '确认解密',
    'judge.decode.cancel': '取消',
    'judge.decode.heading': '确认解密？',
    'judge.decode.body':
      '「{event}」的全部成绩均已签字。确认后，所有页面将显示选手姓名与单位，此操作不可撤销，并记入操作日志。',
    'judge.decode.error.not_signed': '尚有成绩未签字或轮次未结束，暂不能解密。',
    'judge.decode.error.other': '未能确认（{code}），请稍后再试。',
    'judge.decode.at_hub': '本平板连接的是场地服务器：解密须在总部确认，请用连接总部的平板登录后确认。',
  },
  en: {
    'judge.decode.asked':
      'The organiser asked to decode “{event}”: once you confirm, names are linked to the drawn numbers.',
    'judge.decode.confirm': 'Confirm decoding',
    'judge.decode.cancel': 'Cancel',
    'judge.decode.heading': 'Confirm decoding?',
    'judge.decode.body':
      'Every result of “{event}” is signed. Once confirmed, every page shows the contestants’ names and organisations. This cannot be undone and is recorded in the audit log.',
    'judge.decode.error.not_signed':
      'Some result is not signed yet or a round is still open: decoding is not possible yet.',
    'judge.decode.error.other': 'Could not confirm ({code}); please try again.',
    'judge.decode.at_hub':
      'This tablet is connected to the venue’s server: the decode is confirmed at the hub. Sign in on a tablet connected to the hub to confirm it.',
  },
};
