import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import { rankRows } from '../../../shared/scoring/index.ts';

function row(id: string, rankKey: string): BoardRow {
  return { id, total: '0', complete: true, outcome: 'ok', rankKey };
}

describe('rankRows', () => {
  it('gives standard competition ranks 1, 2, 2, 4 and orders ties by id', () => {
    const ranked = rankRows([row('d', 'a3'), row('c', 'a2'), row('b', 'a2'), row('a', 'a1')]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('orders ids like Redis (UTF-8 bytes), not UTF-16 code units', () => {
    // U+FF21 (fullwidth A) is 3 UTF-8 bytes and sorts before the 4-byte U+1F600.
    const ranked = rankRows([row('\u{1F600}', 'a1'), row('\uFF21', 'a1')]);
    expect(ranked.map((r) => r.id)).toEqual(['\uFF21', '\u{1F600}']);
    const bytes = ranked.map((r) => Buffer.from(r.id));
    expect(Buffer.compare(bytes[0]!, bytes[1]!)).toBe(-1);
  });

  it('rank = 1 + number of rows with a strictly better key, for any rows', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        fc.array(fc.constantFrom('a1', 'a2', 'a3', 'b', 'c'), { minLength: 30, maxLength: 30 }),
        (ids, keys) => {
          const rows = ids.map((id, i) => row(id, keys[i] ?? 'a1'));
          const ranked = rankRows(rows);
          expect(ranked).toHaveLength(rows.length);
          for (const [i, r] of ranked.entries()) {
            expect(r.rank).toBe(1 + rows.filter((o) => o.rankKey < r.rankKey).length);
            if (i > 0) expect(ranked[i - 1]!.rankKey <= r.rankKey).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
