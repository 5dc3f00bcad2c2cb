import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import { emptySheet, type Sheet } from '../../../shared/model.ts';
import {
  projectAll,
  rowRef,
  sheetDependencies,
  updatesForSheet,
  type BoardRows,
} from '../../../server/domain/projection.ts';
import { sheetKeyString, type SheetKey } from '../../../server/store/types.ts';
import { fixture } from './fixture.ts';

const setup = fixture();
const lathe = setup.events[0]!;

function marked(a: string, b: string, m?: string, outcome: Sheet['outcome'] = 'ok'): Sheet {
  const sheet: Sheet = { ...emptySheet(), outcome, marks: { j1: { a, b }, j2: { a, b }, j3: { a, b } } };
  if (m !== undefined) sheet.measured = { m };
  return sheet;
}

function rows(boards: BoardRows, board: string): Record<string, string> {
  return Object.fromEntries(
    [...(boards.get(board)?.values() ?? [])].map((r) => [r.id, `${r.total}${r.complete ? '' : '?'}`]),
  );
}

describe('projectAll', () => {
  it('projects round, category, overall, team and organisation boards', () => {
    const boards = projectAll(setup, [
      { key: { eventId: 'lathe', roundId: 'r1', contestantId: 'c1' }, sheet: marked('8', '4', '10') },
      { key: { eventId: 'lathe', roundId: 'r1', contestantId: 'c2' }, sheet: marked('6', '2') },
      { key: { eventId: 'lathe', roundId: 'r2', contestantId: 'c1' }, sheet: marked('10', '5', '20') },
      { key: { eventId: 'lathe', roundId: 'r1', contestantId: 'c3' }, sheet: marked('9', '5', '20', 'dsq') },
    ]);
    expect(rows(boards, 'lathe|r1|individual')).toEqual({ c1: '22.00', c2: '8.00?', c3: '0.00' });
    expect(rows(boards, 'lathe|r1|individual|%E8%81%8C%E5%B7%A5%E7%BB%84')).toEqual({ c1: '22.00' });
    // overall = 0.4 × round 1 + 0.6 × round 2
    expect(rows(boards, 'lathe|overall|individual')).toEqual({ c1: '29.80', c2: '3.20?', c3: '0.00' });
    // team t1: best 2 of c1, c2 (c3 disqualified does not count)
    expect(rows(boards, 'lathe|r1|team')).toEqual({ t1: '30.00?' });
    expect(rows(boards, 'lathe|r1|organisation')).toEqual({ OrgA: '15.00?' });
    expect(boards.get('lathe|r1|individual')?.get('c3')?.outcome).toBe('dsq');
  });

  it('ignores sheets of contestants no longer in the set-up', () => {
    const boards = projectAll(setup, [
      { key: { eventId: 'lathe', roundId: 'r1', contestantId: 'gone' }, sheet: marked('8', '4') },
    ]);
    expect(boards.size).toBe(0);
  });
});

describe('updatesForSheet', () => {
  const keys: SheetKey[] = ['c1', 'c2', 'c3', 'c4'].flatMap((contestantId) =>
    ['r1', 'r2'].map((roundId) => ({ eventId: 'lathe', roundId, contestantId })),
  );
  const sheetArb = fc.record({
    a: fc.integer({ min: 0, max: 20 }).map((n) => String(n / 2)),
    b: fc.integer({ min: 10, max: 50 }).map((n) => String(n / 10)),
    outcome: fc.constantFrom('ok', 'ok', 'ok', 'dsq', 'dns'),
  });

  it('applied change by change, always agrees with projecting everything from scratch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys), sheetArb), { minLength: 1, maxLength: 25 }),
        (changes) => {
          const sheets = new Map<string, { key: SheetKey; sheet: Sheet }>();
          const live: BoardRows = new Map();
          for (const [key, s] of changes) {
            const sheet = marked(s.a, s.b, undefined, s.outcome as Sheet['outcome']);
            const contestant = setup.contestants.find((c) => c.id === key.contestantId)!;
            const deps = sheetDependencies(setup, lathe, contestant, key);
            const read = {
              sheets: new Map(
                deps.otherSheets.flatMap((k) => {
                  const found = sheets.get(sheetKeyString(k));
                  return found === undefined ? [] : [[sheetKeyString(k), found.sheet] as const];
                }),
              ),
              rows: new Map<string, BoardRow | null>(
                deps.rows.map((r) => [rowRef(r.board, r.rowId), live.get(r.board)?.get(r.rowId) ?? null]),
              ),
            };
            for (const u of updatesForSheet(setup, lathe, contestant, key, sheet, read)) {
              const board = live.get(u.board) ?? new Map<string, BoardRow>();
              if (u.row === null) board.delete(u.rowId);
              else board.set(u.rowId, u.row);
              live.set(u.board, board);
            }
            sheets.set(sheetKeyString(key), { key, sheet });
          }
          const full = projectAll(setup, [...sheets.values()]);
          const nonEmpty = (b: BoardRows) => new Map([...b].filter(([, r]) => r.size > 0));
          expect(nonEmpty(live)).toEqual(full);
        },
      ),
      { numRuns: 100 },
    );
  });
});
