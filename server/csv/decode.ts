/** Turning uploaded CSV bytes into text: UTF-8 only, with or without a byte-order mark, never mangled. */

/**
 * Stable codes of CSV problems; clients translate them (with `params`) and never parse `message`.
 * File: not_utf8, not_csv, empty_file, too_many_rows {max}, no_rows, cell_count {expected, found}.
 * Header: unknown_column, repeated_column, missing_column (each {column}).
 * Row: unknown_event {value}, event_required, unknown_role {value}, duplicate_id {value, line},
 * duplicate_bib {value, line}, bib_taken {value, contestant}, required, too_long {max},
 * invalid_bib, invalid_id, forbidden_characters, invalid.
 */
export type CsvErrorCode =
  | 'not_utf8'
  | 'not_csv'
  | 'empty_file'
  | 'too_many_rows'
  | 'no_rows'
  | 'cell_count'
  | 'unknown_column'
  | 'repeated_column'
  | 'missing_column'
  | 'unknown_event'
  | 'event_required'
  | 'unknown_role'
  | 'duplicate_id'
  | 'duplicate_bib'
  | 'bib_taken'
  | 'required'
  | 'too_long'
  | 'invalid_bib'
  | 'invalid_id'
  | 'forbidden_characters'
  | 'invalid';

/** One invalid cell or row of an upload, as reported to the client. */
export interface RowError {
  /** 1-based line of the file (the header is line 1); 0 when the problem has no line. */
  line: number;
  /** The model field (e.g. "bib"), "(header)", "(row)" or "(file)". */
  field: string;
  /** The column header as the file wrote it (or the template's header when the column is missing). */
  column?: string;
  code: CsvErrorCode;
  /** Values the translated text needs (the cell value, a limit, another line…). */
  params?: Record<string, string | number>;
  /** English, for API users and logs; clients show the translated `code`. */
  message: string;
}

/** A problem with the file as a whole or with one line of it; `line` is 1-based, 0 when unknown. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly code: CsvErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

const LF = 0x0a;

/**
 * Decode UTF-8 bytes strictly and drop a leading byte-order mark. Invalid UTF-8 (say a GBK file
 * saved by an old Excel) is reported with the first bad line, never replaced by U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CsvError(
      firstInvalidLine(bytes),
      'not_utf8',
      'the file is not valid UTF-8 (save it as "CSV UTF-8")',
    );
  }
}

/** 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one. */
function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  for (;;) {
    const end = bytes.indexOf(LF, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      decoder.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    if (end === -1) return 0;
    start = end + 1;
    line += 1;
  }
}
