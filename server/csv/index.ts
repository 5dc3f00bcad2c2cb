/** CSV import and export helpers (see docs/API.md for the file formats). */
export { CsvError, decodeCsv, type CsvEncoding, type RowError } from './decode.ts';
export { parseCsv, MAX_CSV_ROWS, type CsvTable, type CsvRow } from './parse.ts';
export { mapColumns, normalizeHeader, type ColumnSpec } from './columns.ts';
export {
  readContestants,
  mergeContestants,
  contestantColumns,
  type ContestantImport,
} from './contestants.ts';
export { readJudges, mergeJudges, judgeColumns } from './judges.ts';
export { writeCsv, csvLines, neutraliseCell, type CsvCell } from './write.ts';
export { contestantTemplate, judgeTemplate } from './templates.ts';
