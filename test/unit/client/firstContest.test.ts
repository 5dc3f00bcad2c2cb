import { describe, expect, it } from 'vitest';
import { firstContest, parseContestants, UNKNOWN } from '../../../client/src/admin/firstContest.ts';
import { competitionSchema } from '../../../shared/model.ts';

describe('the guided first contest (issue #15: a short way from nothing to a live board)', () => {
  it('reads pasted contestants in any of the short forms, skipping a header and numbering missing bibs', () => {
    const text = ['参赛号,姓名,单位,地区', 'A001,张伟,上海电气,上海', 'B7，王芳，宝武钢铁', '', '李娜'].join(
      '\n',
    );
    expect(parseContestants(text)).toEqual([
      { bib: 'A001', name: '张伟', organisation: '上海电气', region: '上海' },
      { bib: 'B7', name: '王芳', organisation: '宝武钢铁', region: UNKNOWN },
      { bib: '003', name: '李娜', organisation: UNKNOWN, region: UNKNOWN },
    ]);
  });

  it('builds a valid set-up for every preset, the first judge being the chief', () => {
    for (const preset of ['mean3', 'trimmed5', 'criteria3'] as const) {
      const setup = firstContest({
        id: 'contest-x',
        name: '大赛',
        eventName: '电工',
        preset,
        judges: preset === 'trimmed5' ? 5 : 3,
        contestants: parseContestants('A1,甲\nA2,乙'),
      });
      const parsed = competitionSchema.safeParse(setup);
      expect(parsed.success, preset).toBe(true);
      expect(setup.judges?.[0]?.role).toBe('chief');
    }
  });
});
