/** Mapping CSV header cells (Chinese or English, any case) onto model fields. */
import type { RowError } from './decode.ts';
import type { CsvTable } from './parse.ts';

export interface ColumnSpec<F extends string> {
  field: F;
  /** Accepted header texts; compared after normalizeHeader(). The first one is used in templates. */
  aliases: readonly string[];
  required: boolean;
}

/** One data row: field → non-empty trimmed cell text (empty cells are left out). */
export interface MappedRow<F extends string> {
  line: number;
  values: Partial<Record<F, string>>;
}

/**
 * Header text as compared: NFKC (full-width letters and brackets become ASCII), lower case,
 * without spaces, '*' markers and a bracketed remark such as "姓名（必填）" or "Bib (required)".
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\(.*?\)/g, '')
    .replace(/[\s*_]/g, '')
    .toLowerCase();
}

/**
 * Map every row of `table` onto the fields of `specs`. Unknown or repeated headers and missing
 * required columns are errors on line 1: a misspelt optional header must not drop data silently.
 */
export function mapColumns<F extends string>(
  table: CsvTable,
  specs: ReadonlyArray<ColumnSpec<F>>,
): { rows: Array<MappedRow<F>>; errors: RowError[] } {
  const errors: RowError[] = [];
  const byAlias = new Map<string, F>();
  for (const spec of specs) for (const a of spec.aliases) byAlias.set(normalizeHeader(a), spec.field);

  const fieldAt: Array<F | undefined> = [];
  const seen = new Set<F>();
  table.header.forEach((text, index) => {
    const field = byAlias.get(normalizeHeader(text));
    if (field === undefined) {
      errors.push({ line: 1, field: '(header)', message: `unknown column "${text}"` });
    } else if (seen.has(field)) {
      errors.push({ line: 1, field, message: `column "${text}" repeats ${field}` });
    } else {
      seen.add(field);
      fieldAt[index] = field;
    }
  });
  for (const spec of specs) {
    if (spec.required && !seen.has(spec.field)) {
      errors.push({ line: 1, field: spec.field, message: `missing column "${spec.aliases[0]}"` });
    }
  }

  const rows = table.rows.map((row) => {
    const values: Partial<Record<F, string>> = {};
    row.cells.forEach((cell, index) => {
      const field = fieldAt[index];
      if (field !== undefined && cell !== '') values[field] = cell;
    });
    return { line: row.line, values };
  });
  return { rows, errors };
}
