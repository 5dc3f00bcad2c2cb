/** Turning uploaded CSV bytes into text: UTF-8 only, with or without a byte-order mark, never mangled. */

/** One invalid cell or row of an upload, as reported to the client. */
export interface RowError {
  /** 1-based line of the file (the header is line 1); 0 when the problem has no line. */
  line: number;
  /** The model field (e.g. "bib"), "(header)" or "(row)". */
  field: string;
  message: string;
}

/** A problem with the file as a whole or with one line of it; `line` is 1-based, 0 when unknown. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
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
    throw new CsvError(firstInvalidLine(bytes), 'the file is not valid UTF-8 (save it as "CSV UTF-8")');
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
