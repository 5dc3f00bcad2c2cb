/** Mapping CSV header cells (Chinese or English, any case) onto model fields. */
import type { z } from 'zod';
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
): { rows: Array<MappedRow<F>>; errors: RowError[]; headers: Partial<Record<F, string>> } {
  const errors: RowError[] = [];
  const byAlias = new Map<string, F>();
  for (const spec of specs) for (const a of spec.aliases) byAlias.set(normalizeHeader(a), spec.field);

  const fieldAt: Array<F | undefined> = [];
  const seen = new Set<F>();
  const headers: Partial<Record<F, string>> = {};
  table.header.forEach((text, index) => {
    const field = byAlias.get(normalizeHeader(text));
    if (field === undefined) {
      errors.push({
        line: 1,
        field: '(header)',
        column: text,
        code: 'unknown_column',
        params: { column: text },
        message: `unknown column "${text}"`,
      });
    } else if (seen.has(field)) {
      errors.push({
        line: 1,
        field,
        column: text,
        code: 'repeated_column',
        params: { column: text, first: headers[field] ?? '' },
        message: `column "${text}" repeats ${field}`,
      });
    } else {
      seen.add(field);
      headers[field] = text;
      fieldAt[index] = field;
    }
  });
  for (const spec of specs) {
    if (spec.required && !seen.has(spec.field)) {
      const column = spec.aliases[0] ?? spec.field;
      errors.push({
        line: 1,
        field: spec.field,
        column,
        code: 'missing_column',
        params: { column },
        message: `missing column "${column}"`,
      });
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
  return { rows, errors, headers };
}

/**
 * A zod error as row errors on `line`, one per issue: the model field, a stable code (required,
 * too_long, invalid_bib, invalid_id, forbidden_characters, invalid) and the English message.
 */
export function issuesAt(line: number, error: z.ZodError): RowError[] {
  return error.issues.map((i) => {
    const field = i.path.length > 0 ? i.path.join('.') : '(row)';
    const base = { line, field, message: i.message };
    switch (i.code) {
      case 'too_small':
        return { ...base, code: 'required' };
      case 'too_big':
        return { ...base, code: 'too_long', params: { max: Number(i.maximum) } };
      case 'invalid_format':
        return { ...base, code: field === 'bib' ? 'invalid_bib' : field === 'id' ? 'invalid_id' : 'invalid' };
      case 'custom':
        return { ...base, code: 'forbidden_characters' };
      default:
        return { ...base, code: 'invalid' };
    }
  });
}

/**
 * Name each error's column as the file wrote it: `columnOf` maps a model field (eventId) to its
 * column field (event); errors that already name a column keep it.
 */
export function withColumns<F extends string>(
  errors: readonly RowError[],
  headers: Partial<Record<F, string>>,
  columnOf: (field: string) => F | undefined,
): RowError[] {
  return errors.map((e) => {
    if (e.column !== undefined) return e;
    const column = columnOf(e.field);
    const text = column === undefined ? undefined : headers[column];
    return text === undefined ? e : { ...e, column: text };
  });
}
