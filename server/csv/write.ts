/** Writing CSV that is safe to open in Excel/WPS: UTF-8 with BOM, formula-like cells neutralised. */
import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet may treat as a formula (OWASP CSV injection): one starting with = + - @ or
 * their full-width forms ＝ ＋ － ＠ (Excel and WPS in CJK locales convert them), or with a tab, CR or
 * LF — also when blanks (spaces, NBSP, ideographic space, zero-width characters) come first, since
 * some importers trim them.
 */
const FORMULA_START =
  /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r\n]/u;

/** Prefix an apostrophe to a cell a spreadsheet would run as a formula ("=1+1" → "'=1+1"). */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | boolean | null | undefined;

const BOM = '\uFEFF';

function cellText(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  // Only text can be a formula; a JS number (even negative) is written as a plain number.
  return typeof v === 'string' ? neutraliseCell(v) : String(v);
}

/** CSV lines (CRLF ends, no BOM) for rows, every text cell neutralised; for streaming after writeCsv. */
export function csvLines(rows: ReadonlyArray<readonly CsvCell[]>): string {
  if (rows.length === 0) return '';
  return stringify(
    rows.map((r) => r.map(cellText)),
    // csv-stringify quotes only the record delimiter (CRLF); a bare LF must be quoted too.
    { record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}

/** A CSV document: UTF-8 BOM (so Excel reads Chinese correctly), a header, then rows. */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return BOM + csvLines([header, ...rows]);
}
