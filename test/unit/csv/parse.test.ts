import { describe, expect, it } from 'vitest';
import { mapColumns, normalizeHeader } from '../../../server/csv/columns.ts';
import { contestantColumns } from '../../../server/csv/contestants.ts';
import { CsvError } from '../../../server/csv/decode.ts';
import { parseCsv } from '../../../server/csv/parse.ts';

describe('parseCsv', () => {
  it('numbers rows by their line in the file, skipping blank lines', () => {
    const table = parseCsv('参赛号,姓名\r\nA1,张三\r\n\r\nA2,李四\r\n');
    expect(table.header).toEqual(['参赛号', '姓名']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['A1', '张三'] },
      { line: 4, cells: ['A2', '李四'] },
    ]);
  });

  it('gives a quoted multi-line cell the line where its record ends', () => {
    const table = parseCsv('a,b\n1,"x\ny"\n2,z\n');
    expect(table.rows.map((r) => r.line)).toEqual([3, 4]);
    expect(table.rows[0]?.cells[1]).toBe('x\ny');
  });

  it('reports a row with the wrong number of cells at its line', () => {
    const table = parseCsv('a,b\n1,2\n3\n4,5\n');
    expect(table.rows).toHaveLength(2);
    expect(table.errors).toEqual([
      {
        line: 3,
        field: '(row)',
        code: 'cell_count',
        params: { expected: 2, found: 1 },
        message: 'expected 2 cells like the header, found 1',
      },
    ]);
  });

  it('throws a CsvError for an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,"oops\n')).toThrow(CsvError);
  });

  it('throws for an empty file', () => {
    expect(() => parseCsv('')).toThrow(/empty/);
  });
});

describe('header mapping', () => {
  it('accepts Chinese and English headers, full-width brackets, remarks and stars', () => {
    expect(normalizeHeader('姓名（必填）')).toBe('姓名');
    expect(normalizeHeader(' Bib * ')).toBe('bib');
    expect(normalizeHeader('Organization')).toBe('organization');
  });

  it('maps 编号/单位/地区 and English aliases onto model fields', () => {
    const zh = mapColumns(parseCsv('编号,姓名,企业,省市,赛项\nA1,张三,一厂,江苏,焊工\n'), contestantColumns);
    expect(zh.errors).toEqual([]);
    expect(zh.rows[0]?.values).toEqual({
      bib: 'A1',
      name: '张三',
      organisation: '一厂',
      region: '江苏',
      event: '焊工',
    });
    const en = mapColumns(parseCsv('Bib,Name,Company,Region\nA1,Zhang,Works,JS\n'), contestantColumns);
    expect(en.errors).toEqual([]);
    expect(en.rows[0]?.values).toEqual({ bib: 'A1', name: 'Zhang', organisation: 'Works', region: 'JS' });
  });

  it('reports unknown and repeated columns and missing required ones on line 1', () => {
    const { errors } = mapColumns(parseCsv('参赛号,编号,名字\nA1,A2,x\n'), contestantColumns);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1, field: 'bib', code: 'repeated_column', column: '编号' }),
        expect.objectContaining({ line: 1, field: '(header)', code: 'unknown_column', column: '名字' }),
        expect.objectContaining({ line: 1, field: 'name', code: 'missing_column', column: '姓名' }),
      ]),
    );
  });
});
