import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import type { Outcome } from '../../../shared/model.ts';
import { medalFor, rankKey, rankRows } from '../../../shared/scoring/index.ts';
import { rankPage } from '../../../server/store/ranking.ts';
import { makeEvent } from './fixtures.ts';

const rule = makeEvent([{ id: 'c' }]).scoring;

function row(id: string, total: string, outcome: Outcome = 'ok'): BoardRow {
  return { id, total, complete: true, outcome, rankKey: rankKey(rule, { id, total, outcome, tieBreak: [] }) };
}

describe('rows without a placing (regression: a disqualified contestant showed a rank number)', () => {
  const rows = [
    row('e', '0', 'dsq'),
    row('d', '0', 'dns'),
    row('a', '80'),
    row('c', '0', 'dnf'),
    row('b', '70'),
    row('f', '0', 'dns'),
  ];

  it('rankRows: dns/dnf/dsq rows have rank null and come after every ranked row: dnf, dns, dsq, then id', () => {
    expect(rankRows(rows).map((r) => [r.id, r.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', null],
      ['d', null],
      ['f', null],
      ['e', null],
    ]);
  });

  it('the stores rank a page the same way, wherever the page starts', () => {
    const ordered = rankRows(rows).map(({ rank: _rank, ...r }) => r);
    expect(rankPage(0, 0, ordered).map((r) => r.rank)).toEqual([1, 2, null, null, null, null]);
    expect(rankPage(2, 2, ordered.slice(2)).map((r) => r.rank)).toEqual([null, null, null, null]);
    expect(rankPage(1, 1, ordered.slice(1, 3)).map((r) => r.rank)).toEqual([2, null]);
  });

  it('no rank, no medal; lower-wins thresholds are maximums', () => {
    expect(medalFor({ kind: 'rank', gold: 1, silver: 2, bronze: 3 }, null, '99')).toBeNull();
    expect(medalFor({ kind: 'threshold', gold: '40', silver: '50', bronze: '60' }, 1, '55', 'lower')).toBe(
      'bronze',
    );
    expect(medalFor({ kind: 'threshold', gold: '40', silver: '50', bronze: '60' }, 1, '39.99', 'lower')).toBe(
      'gold',
    );
  });
});
