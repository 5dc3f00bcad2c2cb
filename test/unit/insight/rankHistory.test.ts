import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import {
  biggestMovers,
  rankAtTime,
  rankTimelines,
  type BoardStep,
  type RankPoint,
} from '../../../shared/insight/rankHistory.ts';
import { rankKey, rankRows } from '../../../shared/scoring/index.ts';
import { makeEvent } from '../scoring/fixtures.ts';

const scoring = makeEvent([{ id: 'a' }]).scoring;
const row = (id: string, total: string, outcome: BoardRow['outcome'] = 'ok'): BoardRow => ({
  id,
  total,
  complete: true,
  outcome,
  rankKey: rankKey(scoring, { id, total, outcome, tieBreak: [] }),
});

describe('rankTimelines', () => {
  it("a point after each change of rank or total, from the board's own ranks", () => {
    const steps: BoardStep[] = [
      { at: 1, updates: [{ rowId: 'A', row: row('A', '8.00') }] },
      { at: 2, updates: [{ rowId: 'B', row: row('B', '9.00') }] }, // A drops to 2
      { at: 3, updates: [{ rowId: 'C', row: row('C', '1.00') }] }, // nobody above C moves
      { at: 4, updates: [{ rowId: 'A', row: row('A', '9.00') }] }, // A ties B: both 1
      { at: 5, updates: [{ rowId: 'B', row: row('B', '0.00', 'dsq') }] }, // B loses its placing
    ];
    const t = rankTimelines(steps);
    expect(t.get('A')).toEqual([
      { at: 1, rank: 1, total: '8.00' },
      { at: 2, rank: 2, total: '8.00' },
      { at: 4, rank: 1, total: '9.00' },
    ]);
    expect(t.get('B')).toEqual([
      { at: 2, rank: 1, total: '9.00' },
      { at: 5, rank: null, total: '0.00' },
    ]);
    // C stays 3rd when A ties B (1, 1, 3): no point at 4.
    expect(t.get('C')).toEqual([
      { at: 3, rank: 3, total: '1.00' },
      { at: 5, rank: 2, total: '1.00' },
    ]);
  });

  it('a row removed from the board ends with no rank', () => {
    const t = rankTimelines([
      { at: 1, updates: [{ rowId: 'A', row: row('A', '5') }] },
      { at: 2, updates: [{ rowId: 'A', row: null }] },
    ]);
    expect(t.get('A')?.at(-1)).toEqual({ at: 2, rank: null, total: null });
  });

  it("property: after every step each row's latest point is its rank on the board (rankRows), and only changes add points", () => {
    const stepArb = fc.array(
      fc.record({
        id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
        total: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
        dsq: fc.boolean(),
      }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(stepArb, (changes) => {
        const rows = new Map<string, BoardRow>();
        const steps: BoardStep[] = [];
        const expected: Array<Map<string, number | null>> = [];
        changes.forEach((c, i) => {
          const r = c.total === null ? null : row(c.id, String(c.total), c.dsq ? 'dsq' : 'ok');
          if (r === null) rows.delete(c.id);
          else rows.set(c.id, r);
          steps.push({ at: i, updates: [{ rowId: c.id, row: r }] });
          expected.push(new Map(rankRows([...rows.values()]).map((x) => [x.id, x.rank])));
        });
        const t = rankTimelines(steps);
        expected.forEach((ranks, i) => {
          for (const [id, rank] of ranks) expect(rankAtTime(t.get(id) ?? [], i)).toBe(rank);
        });
        for (const points of t.values())
          points.forEach((p, i) => {
            const prev = points[i - 1];
            if (prev !== undefined) expect(prev.rank !== p.rank || prev.total !== p.total).toBe(true);
          });
      }),
    );
  });
});

describe('biggestMovers', () => {
  const line = (...p: Array<[number, number | null]>): RankPoint[] =>
    p.map(([at, rank]) => ({ at, rank, total: '1' }));

  it("compares the rank at the window's start with the rank now; a row that arrived inside it from its first rank; unplaced rows are not movers", () => {
    const timelines = new Map([
      ['A', line([0, 6], [50, 1])], // ↑5
      ['B', line([0, 1], [60, 4])], // ↓3
      ['C', line([0, 3], [70, 2])], // ↑1
      ['D', line([20, 9], [80, 3])], // arrived inside the window 9th, 3rd now: ↑6
      ['E', line([0, 5], [90, null])], // lost its placing
      ['F', line([0, 2], [5, 7], [95, 2])], // 7th at the window's start (10), 2nd now: ↑5
    ]);
    expect(biggestMovers(timelines, 10, 4)).toEqual([
      { id: 'D', from: 9, to: 3, delta: 6 },
      { id: 'A', from: 6, to: 1, delta: 5 },
      { id: 'F', from: 7, to: 2, delta: 5 },
      { id: 'B', from: 1, to: 4, delta: -3 },
    ]);
    expect(biggestMovers(timelines, 100, 5)).toEqual([]);
  });
});
