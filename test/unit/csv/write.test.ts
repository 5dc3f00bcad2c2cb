import { describe, expect, it } from 'vitest';
import { csvLines, neutraliseCell, writeCsv } from '../../../server/csv/write.ts';
import { parseCsv } from '../../../server/csv/parse.ts';

describe('formula neutralisation (OWASP CSV injection)', () => {
  it.each(['=1+1', '+86 123', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")'])(
    'prefixes an apostrophe to %j',
    (cell) => {
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    },
  );

  // Issue #12: full-width formula signs (Excel/WPS in CJK locales read ＝1+1 as =1+1), a leading
  // LF, and formula signs behind blanks an importer may trim were written as they were.
  it.each([
    '＝1+1',
    '＋86 123',
    '－2+3',
    '＠SUM(A1)',
    '＝HYPERLINK("http://evil","x")',
    '\n=1+1',
    '\t=1+1',
    '\r\n=1+1',
    ' =1+1',
    '\u3000=1+1',
    '\u00A0+1',
    '\u200B=1+1',
    '\uFEFF@SUM(A1)',
    '  ＝1',
  ])('prefixes an apostrophe to %j (full-width sign, line break or blanks first: issue #12)', (cell) => {
    expect(neutraliseCell(cell)).toBe(`'${cell}`);
  });

  it.each(['张三', '85.50', 'a=b', 'x ＝ y', '', '  '])('leaves %j alone', (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });
});

describe('writeCsv', () => {
  it('writes a BOM, CRLF lines and neutralised text cells, and reads back to the same values', () => {
    const csv = writeCsv(['名次', '姓名', '总分'], [[1, '=cmd|" /C calc"!A0', '85.5']]);
    expect(csv.startsWith('\uFEFF名次,姓名,总分\r\n')).toBe(true);
    const back = parseCsv(csv.slice(1));
    expect(back.rows[0]?.cells).toEqual(['1', `'=cmd|" /C calc"!A0`, '85.5']);
  });

  it('writes numbers as numbers (a negative number is not a formula)', () => {
    expect(csvLines([[-3, null, undefined, true]])).toBe('-3,,,true\r\n');
  });

  it('quotes cells with commas, quotes and line breaks', () => {
    expect(csvLines([['a,b', 'say "hi"', 'x\ny']])).toBe('"a,b","say ""hi""","x\ny"\r\n');
  });
});
