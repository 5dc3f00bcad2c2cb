import { describe, expect, it } from 'vitest';
import { mergeContestants, readContestants } from '../../../server/csv/contestants.ts';
import { mergeJudges, readJudges } from '../../../server/csv/judges.ts';
import { parseCsv } from '../../../server/csv/parse.ts';
import { setupWithEvents } from './fixtures.ts';

describe('readContestants', () => {
  it('resolves events and teams by name, keeps known ids and creates new teams', () => {
    const setup = setupWithEvents();
    const csv =
      '参赛号,姓名,单位,地区,赛项,团队,组别\nA001,王五,一厂,江苏,焊工,江苏队,职工组\nB002,钱七,二厂,浙江,电工,浙江队,\n';
    const r = readContestants(parseCsv(csv), setup);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.contestants).toEqual([
      {
        id: 'A001',
        eventId: 'weld',
        bib: 'A001',
        name: '王五',
        organisation: '一厂',
        region: '江苏',
        teamId: 'team-js',
        category: '职工组',
      },
      {
        id: 'B002',
        eventId: 'elec',
        bib: 'B002',
        name: '钱七',
        organisation: '二厂',
        region: '浙江',
        teamId: 'team-1',
      },
    ]);
    expect(r.value.newTeams).toEqual([{ id: 'team-1', name: '浙江队' }]);
    const merged = mergeContestants(setup, r.value);
    expect(merged.contestants).toHaveLength(2);
    expect(merged.teams.map((t) => t.id)).toEqual(['team-js', 'team-1']);
  });

  it('lists every invalid row with its line and field, and imports none', () => {
    const csv = [
      '参赛号,姓名,单位,地区,赛项',
      'B1,甲,厂,苏,焊工',
      'B 2,乙,厂,苏,焊工',
      'B3,,厂,苏,焊工',
      'B4,丁,厂,苏,钳工',
      'B1,戊,厂,苏,焊工',
    ].join('\n');
    const r = readContestants(parseCsv(csv), setupWithEvents());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'bib'],
      [4, 'name'],
      [5, 'eventId'],
      [6, 'bib'],
    ]);
  });

  it('gives every problem a stable code, its params and the column header the file wrote (regression: English text with model field names like "eventId")', () => {
    const csv = [
      '编号,选手姓名,工作单位,省份,比赛项目',
      'B1,甲,厂,苏,焊工',
      'B 2,乙,厂,苏,焊工',
      'B3,,厂,苏,焊工',
      'B4,丁,厂,苏,电焊',
      'B1,戊,厂,苏,焊工',
      `B6,${'名'.repeat(61)},厂,苏,焊工`,
    ].join('\n');
    const r = readContestants(parseCsv(csv), setupWithEvents());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => ({ line: e.line, column: e.column, code: e.code, params: e.params }))).toEqual(
      [
        { line: 3, column: '编号', code: 'invalid_bib', params: undefined },
        { line: 4, column: '选手姓名', code: 'required', params: undefined },
        { line: 5, column: '比赛项目', code: 'unknown_event', params: { value: '电焊' } },
        { line: 6, column: '编号', code: 'duplicate_bib', params: { value: 'B1', line: 2 } },
        { line: 7, column: '选手姓名', code: 'too_long', params: { max: 60 } },
      ],
    );
    const header = readContestants(parseCsv('参赛号,姓名,单位,名次\nB1,甲,厂,1\n'), setupWithEvents());
    expect(header.ok).toBe(false);
    if (!header.ok) {
      expect(header.errors.map((e) => [e.code, e.column])).toEqual(
        expect.arrayContaining([
          ['unknown_column', '名次'],
          ['missing_column', '地区'],
        ]),
      );
    }
  });

  it('requires the event column when the competition has several events', () => {
    const r = readContestants(parseCsv('参赛号,姓名,单位,地区\nC1,甲,厂,苏\n'), setupWithEvents());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 2, field: 'eventId' });
  });
});

describe('readJudges', () => {
  it('reads roles and event lists in Chinese, reusing the id of a known judge', () => {
    const csv = '姓名,角色,赛项\n赵六,裁判长,焊工；电工\n孙八,评委,\n';
    const r = readJudges(parseCsv(csv), setupWithEvents());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      { id: 'j1', name: '赵六', role: 'chief', eventIds: ['weld', 'elec'] },
      { id: 'judge-1', name: '孙八', role: 'judge', eventIds: ['weld', 'elec'] },
    ]);
    expect(mergeJudges(setupWithEvents(), r.value).judges.map((j) => j.id)).toEqual(['j1', 'judge-1']);
  });

  it('reports an unknown role and event at their line', () => {
    const r = readJudges(parseCsv('name,role,events\nA,boss,weld\nB,judge,swim\n'), setupWithEvents());
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => [e.line, e.field, e.code, e.column])).toEqual([
        [2, 'role', 'unknown_role', 'role'],
        [3, 'eventIds', 'unknown_event', 'events'],
      ]);
  });
});
