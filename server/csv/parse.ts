/** Parsing CSV text into a header and data rows that remember their line numbers. */
import { parse } from 'csv-parse/sync';
import { CsvError, type RowError } from './decode.ts';

export interface CsvRow {
  /** 1-based line in the file where the record ends (the header is line 1). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  /** Rows whose number of cells differs from the header's. */
  errors: RowError[];
}

/** Upper bound on data rows in one upload; larger files are refused rather than half-read. */
export const MAX_CSV_ROWS = 200_000;

interface ParseFailure {
  lines?: number;
  message: string;
}

/**
 * Parse CSV text (comma-separated, RFC 4180 quoting, blank lines skipped, cells trimmed).
 * Throws CsvError when the text is not CSV at all (e.g. an unclosed quote) or has no header.
 */
export function parseCsv(text: string): CsvTable {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      // With `info: true` csv-parse yields { record, info } objects; its typings do not say so.
    }) as unknown as typeof records;
  } catch (error) {
    const e = error as ParseFailure;
    throw new CsvError(e.lines ?? 0, 'not_csv', `the file is not valid CSV: ${e.message}`);
  }
  const [first, ...rest] = records;
  if (first === undefined) throw new CsvError(1, 'empty_file', 'the file is empty: expected a header line');
  if (rest.length > MAX_CSV_ROWS) {
    throw new CsvError(0, 'too_many_rows', `too many rows: at most ${MAX_CSV_ROWS} per file`, {
      max: MAX_CSV_ROWS,
    });
  }
  const header = first.record;
  const rows: CsvRow[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of rest) {
    if (record.every((c) => c === '')) continue;
    if (record.length !== header.length) {
      errors.push({
        line: info.lines,
        field: '(row)',
        code: 'cell_count',
        params: { expected: header.length, found: record.length },
        message: `expected ${header.length} cells like the header, found ${record.length}`,
      });
      continue;
    }
    rows.push({ line: info.lines, cells: record });
  }
  // A header alone would "import" nothing yet look like a success.
  if (rows.length === 0 && errors.length === 0)
    throw new CsvError(2, 'no_rows', 'the file has no rows under the header');
  return { header, rows, errors };
}
