/**
 * Turning uploaded CSV bytes into text, never mangled: UTF-8 (with or without a byte-order mark),
 * else GB18030 — the superset of GBK that Excel and WPS in China save "CSV" as by default.
 */

/**
 * Stable codes of CSV problems; clients translate them (with `params`) and never parse `message`.
 * File: not_utf8 (neither UTF-8 nor GB18030), mixed_encoding, not_csv, empty_file, too_many_rows {max}, no_rows, cell_count {expected, found}.
 * Header: unknown_column, repeated_column, missing_column (each {column}).
 * Row: unknown_event {value}, event_required, unknown_role {value}, duplicate_id {value, line},
 * duplicate_bib {value, line}, bib_taken {value, contestant}, required, too_long {max},
 * invalid_bib, invalid_id, forbidden_characters, invalid.
 */
export type CsvErrorCode =
  | 'not_utf8'
  | 'mixed_encoding'
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

/** The text encodings an upload may use, in the order they are tried. */
export type CsvEncoding = 'utf-8' | 'gb18030';

/**
 * Decode an upload strictly: UTF-8 first (a leading byte-order mark dropped), then GB18030 (GBK is
 * a subset, so a GBK file saved by Excel reads correctly). Bytes valid in neither are reported with
 * the first line that is not UTF-8, never replaced by U+FFFD.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes),
      encoding: 'utf-8',
    };
  } catch {
    // Not UTF-8: try GB18030 below.
  }
  const badLine = firstInvalidLine(bytes);
  // A line of UTF-8 Chinese and a line that is not UTF-8: a file pasted together from two
  // encodings. GB18030 would "read" the UTF-8 lines as other characters, so refuse it.
  if (hasUtf8NonAscii(bytes)) {
    throw new CsvError(
      badLine,
      'mixed_encoding',
      'the file mixes UTF-8 text with another encoding (save it as "CSV UTF-8")',
    );
  }
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' };
  } catch {
    throw new CsvError(
      badLine,
      'not_utf8',
      'the file is neither UTF-8 nor GB18030/GBK text (save it as "CSV UTF-8")',
    );
  }
}

/** True when some line is valid UTF-8 holding a non-ASCII character. */
function hasUtf8NonAscii(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(LF, start);
    const stop = end === -1 ? bytes.length : end;
    const line = bytes.subarray(start, stop);
    if (line.some((b) => b >= 0x80)) {
      try {
        decoder.decode(line);
        return true;
      } catch {
        // Not UTF-8: look at the next line.
      }
    }
    start = stop + 1;
  }
  return false;
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
