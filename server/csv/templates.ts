/** Blank import templates with Chinese headers and one example row. */
import { contestantColumns } from './contestants.ts';
import { judgeColumns } from './judges.ts';
import { writeCsv } from './write.ts';

/** contestants.csv: 参赛号, 姓名, 单位, 地区, 赛项, 组别, 团队, 选手ID. */
export function contestantTemplate(): string {
  return writeCsv(
    contestantColumns.map((c) => c.aliases[0] ?? c.field),
    [['A001', '张三', '某某机械有限公司', '江苏省', '焊工', '职工组', '', '']],
  );
}

/** judges.csv: 姓名, 角色, 赛项, 编号. */
export function judgeTemplate(): string {
  return writeCsv(
    judgeColumns.map((c) => c.aliases[0] ?? c.field),
    [['李四', '裁判长', '焊工；电工', '']],
  );
}
