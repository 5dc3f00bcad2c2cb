/** The per-judge marks export: one line per contestant, criterion and judge, dropped marks flagged. */
import type { ScoreSheets } from '../../shared/paper.ts';
import { writeCsv, type CsvCell } from './write.ts';

const OUTCOME = { ok: '', dns: '缺赛 DNS', dnf: '未完成 DNF', dsq: '取消资格 DSQ' } as const;

export const MARKS_HEADER = [
  '参赛号',
  '姓名',
  '单位',
  '评分项',
  '类型',
  '裁判',
  '分数',
  '被去掉',
  '评分项得分',
  '总分',
  '状态',
];

/** marks.csv of one round: judged criteria one line per judge (被去掉 = 是 when a trimmed mean dropped it), measured ones one line. */
export function marksCsv(data: ScoreSheets): string {
  const judgeName = new Map(data.judges.map((j) => [j.id, j.name]));
  const rows: CsvCell[][] = [];
  for (const sheet of data.sheets) {
    const who = [sheet.contestant.bib, sheet.contestant.name, sheet.contestant.organisation];
    const tail = [sheet.outcome === 'ok' ? sheet.total : '—', OUTCOME[sheet.outcome]];
    for (const criterion of sheet.criteria) {
      if (criterion.kind === 'measured') {
        rows.push([
          ...who,
          criterion.label,
          '测量 measured',
          '',
          criterion.measured,
          '',
          criterion.score,
          ...tail,
        ]);
        continue;
      }
      for (const mark of criterion.marks) {
        rows.push([
          ...who,
          criterion.label,
          '评分 judged',
          judgeName.get(mark.judgeId) ?? mark.judgeId,
          mark.mark,
          mark.dropped ? '是' : '',
          criterion.score,
          ...tail,
        ]);
      }
    }
  }
  return writeCsv(MARKS_HEADER, rows);
}
