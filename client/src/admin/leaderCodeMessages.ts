/** Texts of the console's team leader codes (领队码), in the access codes tab. */
import type { Dictionary } from '../lib/i18n.svelte.ts';

export const leaderCodeMessages: Dictionary = {
  'zh-CN': {
    'admin.leaders.heading': '领队码',
    'admin.leaders.hint':
      '领队用领队码在手机上登录领队页面，只能为本队选手提交申诉并查看本队申诉的处理结果。领队码只在发放时显示一次；重新发放会使旧码失效，收回会立即结束领队的登录。',
    'admin.leaders.issue_all': '为全部代表队发放',
    'admin.leaders.confirm_all': '为全部代表队重新发放领队码？旧的领队码将全部失效。',
    'admin.leaders.print': '打印领队卡',
    'admin.leaders.team': '代表队',
    'admin.leaders.members': '选手',
    'admin.leaders.confirm_revoke': '收回 {name} 的领队码？领队会立即退出登录。',
    'admin.leaders.issued_one': '已为 {name} 发放领队码',
    'admin.leaders.issued_all': '已发放 {count} 个领队码',
    'admin.leaders.revoked': '已收回 {name} 的领队码',
    'admin.leaders.none': '{name} 没有有效的领队码',
    'admin.leaders.no_teams': '设置中还没有代表队（在“赛事设置”中添加代表队并为选手指定代表队）',
    'admin.leaders.sheet': '领队登录卡',
    'admin.leaders.card_detail': '领队 · 申诉登录',
    'admin.leaders.qr_alt': '{name} 领队登录二维码',
  },
  en: {
    'admin.leaders.heading': 'Team leader codes',
    'admin.leaders.hint':
      "A team leader signs in on the leader page with this code, on a phone, and can only file appeals for the team's own contestants and follow them. A code is shown only when issued; issuing again retires the old one, revoking signs the leader out at once.",
    'admin.leaders.issue_all': 'Issue for all teams',
    'admin.leaders.confirm_all': 'Issue new leader codes for every team? All old codes stop working.',
    'admin.leaders.print': 'Print leader cards',
    'admin.leaders.team': 'Team',
    'admin.leaders.members': 'Contestants',
    'admin.leaders.confirm_revoke': 'Revoke the leader code of {name}? The leader is signed out at once.',
    'admin.leaders.issued_one': 'Leader code issued for {name}',
    'admin.leaders.issued_all': '{count} leader codes issued',
    'admin.leaders.revoked': 'Leader code of {name} revoked',
    'admin.leaders.none': '{name} had no valid leader code',
    'admin.leaders.no_teams':
      'No teams in the set-up yet (add teams in the set-up and give contestants a team)',
    'admin.leaders.sheet': 'Team leader sign-in cards',
    'admin.leaders.card_detail': 'Team leader · appeals',
    'admin.leaders.qr_alt': 'Team leader sign-in QR code of {name}',
  },
};
