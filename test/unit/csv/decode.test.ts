import { describe, expect, it } from 'vitest';
import { CsvError, decodeUtf8 } from '../../../server/csv/decode.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeUtf8', () => {
  it('drops a UTF-8 byte-order mark and keeps Chinese text intact', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('姓名,单位\n张三,一厂\n')]);
    expect(decodeUtf8(bytes)).toBe('姓名,单位\n张三,一厂\n');
  });

  it('reads UTF-8 without a byte-order mark', () => {
    expect(decodeUtf8(utf8('参赛号\nA1\n'))).toBe('参赛号\nA1\n');
  });

  it('refuses GBK bytes instead of mangling them, naming the first bad line', () => {
    // "张三" in GBK is D5 C5 C8 FD: not valid UTF-8.
    const bytes = new Uint8Array([...utf8('姓名,单位\nA1,ok\n'), 0xd5, 0xc5, 0xc8, 0xfd, ...utf8(',x\n')]);
    let thrown: unknown;
    try {
      decodeUtf8(bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvError);
    expect((thrown as CsvError).line).toBe(3);
    expect((thrown as CsvError).message).toMatch(/not valid UTF-8/);
  });

  it('refuses a multi-byte character cut short at the end of the file', () => {
    const bytes = utf8('姓名\n张');
    expect(() => decodeUtf8(bytes.subarray(0, bytes.length - 1))).toThrow(CsvError);
  });
});
