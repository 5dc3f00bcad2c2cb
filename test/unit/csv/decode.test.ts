import { describe, expect, it } from 'vitest';
import { CsvError, decodeCsv } from '../../../server/csv/decode.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** "姓名,单位\n刘䶮,一厂\n" as GB18030 bytes (made with `iconv -t GB18030`; 䶮 is outside GB2312). */
const GB18030_FILE = new Uint8Array([
  0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xa5, 0xce, 0xbb, 0x0a, 0xc1, 0xf5, 0xfe, 0x9f, 0x2c, 0xd2, 0xbb, 0xb3,
  0xa7, 0x0a,
]);

describe('decodeCsv', () => {
  it('drops a UTF-8 byte-order mark and keeps Chinese text intact', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('姓名,单位\n张三,一厂\n')]);
    expect(decodeCsv(bytes)).toEqual({ text: '姓名,单位\n张三,一厂\n', encoding: 'utf-8' });
  });

  it('reads UTF-8 without a byte-order mark', () => {
    expect(decodeCsv(utf8('参赛号\nA1\n')).text).toBe('参赛号\nA1\n');
  });

  it('reads a GB18030 file as Excel in China saves it (regression: GBK/GB18030 uploads were refused)', () => {
    expect(decodeCsv(GB18030_FILE)).toEqual({ text: '姓名,单位\n刘䶮,一厂\n', encoding: 'gb18030' });
  });

  it('reads GBK bytes among ASCII lines', () => {
    // "张三" in GBK is D5 C5 C8 FD: not valid UTF-8, valid GBK.
    const bytes = new Uint8Array([...utf8('name,company\nA1,ok\n'), 0xd5, 0xc5, 0xc8, 0xfd, ...utf8(',x\n')]);
    expect(decodeCsv(bytes).text).toBe('name,company\nA1,ok\n张三,x\n');
  });

  it('refuses a file mixing UTF-8 Chinese with GBK lines instead of importing mojibake', () => {
    const bytes = new Uint8Array([...utf8('姓名,单位\nA1,ok\n'), 0xd5, 0xc5, 0xc8, 0xfd, ...utf8(',x\n')]);
    expect(() => decodeCsv(bytes)).toThrow(/mixes UTF-8 text with another encoding/);
  });

  it('refuses bytes that are neither UTF-8 nor GB18030, naming the first bad line', () => {
    // 0xFF starts no character in either encoding.
    const bytes = new Uint8Array([...utf8('name,company\nA1,ok\n'), 0xff, ...utf8(',x\n')]);
    let thrown: unknown;
    try {
      decodeCsv(bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvError);
    expect((thrown as CsvError).line).toBe(3);
    expect((thrown as CsvError).message).toMatch(/neither UTF-8 nor GB18030/);
  });
});
