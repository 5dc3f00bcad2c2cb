/**
 * Pure helpers of the pages at event size (issue #20): the spectator list's visible window, the
 * folded search keys, the big screen's paging defaults, the worklist's bib order and matching,
 * and the console's team field.
 */
import { describe, expect, it } from 'vitest';
import { teamIdFor } from '../../../client/src/admin/teamPick.ts';
import { bibOrder, matchesQuery } from '../../../client/src/judge/worklistOrder.ts';
import { pageTime, rowsPerPage } from '../../../client/src/screen/paging.ts';
import { foldSearch, searchKeys } from '../../../client/src/watch/search.ts';
import { visibleRange } from '../../../client/src/watch/virtual.ts';
import type { Contestant } from '../../../shared/model.ts';

const person = (id: string, bib: string, name: string): Contestant => ({
  id,
  eventId: 'e',
  bib,
  name,
  organisation: 'Ｏｒｇ 一',
  region: 'r',
});

describe('spectator list window (regression: all 1,000 rows in the page)', () => {
  it('covers the viewport plus overscan, never below zero', () => {
    expect(visibleRange(-300, 800, 68, 8)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(68 * 500, 800, 68, 8)).toEqual({ start: 492, end: 520 });
  });
});

describe('search keys (regression: lower-casing every row on every keystroke)', () => {
  it('folds full-width forms and case once', () => {
    const keys = searchKeys([person('c1', 'A0990', 'Zhang Wei')]);
    expect(keys.get('c1')?.includes(foldSearch('Ａ０９９'))).toBe(true);
    expect(keys.get('c1')?.includes(foldSearch('zhang'))).toBe(true);
    expect(keys.get('c1')?.includes(foldSearch('org 一'))).toBe(true);
  });
});

describe('big screen paging (regression: 10 rows × 100 pages × 10 s)', () => {
  const auto = { rows: null, pageMs: null, upto: null };
  it('picks rows per page and page time by board size unless the address sets them', () => {
    expect(rowsPerPage(auto, 12)).toBe(10);
    expect(rowsPerPage(auto, 1000)).toBe(12);
    expect(pageTime(auto, 2)).toBe(10_000);
    expect(pageTime(auto, 84)).toBe(6_000);
    expect(rowsPerPage({ ...auto, rows: 25 }, 1000)).toBe(25);
    expect(pageTime({ ...auto, pageMs: 15_000 }, 84)).toBe(15_000);
  });
});

describe('judge worklist order and search (regression: locale sort on every push, no search)', () => {
  it('orders bibs numerically once and matches a bib prefix or a name', () => {
    const people = new Map(
      [person('a', 'A10', '王芳'), person('b', 'A2', '张伟'), person('c', 'A1', '李娜')].map((c) => [
        c.id,
        c,
      ]),
    );
    const order = bibOrder(people);
    expect([...order.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id)).toEqual(['c', 'b', 'a']);
    expect(matchesQuery(people.get('a'), 'a', 'a1')).toBe(true);
    expect(matchesQuery(people.get('b'), 'b', 'a1')).toBe(false);
    expect(matchesQuery(people.get('b'), 'b', '张')).toBe(true);
  });
});

describe('console team field (regression: a <select> of every team in every row)', () => {
  const teams = [
    { id: 't1', name: '北京代表队' },
    { id: 't2', name: '上海代表队' },
  ];
  it('maps a picked name to its id, an id to itself, blank to no team, and keeps unknown text', () => {
    expect(teamIdFor(teams, '上海代表队')).toBe('t2');
    expect(teamIdFor(teams, 't1')).toBe('t1');
    expect(teamIdFor(teams, '  ')).toBe('');
    expect(teamIdFor(teams, '新队')).toBe('新队');
  });
});
