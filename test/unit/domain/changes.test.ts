/** Board deltas and reset lists as listeners get them (server/domain/changes.ts). */
import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import { competitionSchema } from '../../../shared/model.ts';
import { boardDeltas, replacedBoards } from '../../../server/domain/changes.ts';
import { rowRef } from '../../../server/domain/projection.ts';

const B = 'e1|r1|individual';
const row = (id: string, total: string, outcome: BoardRow['outcome'] = 'ok'): BoardRow => ({
  id,
  total,
  complete: true,
  outcome,
  rankKey: total,
});

describe('boardDeltas', () => {
  it('gives each row its rank now, its rank and total before, and lists removed rows', () => {
    const previous = new Map([
      [rowRef(B, 'a'), row('a', '50')],
      [rowRef(B, 'b'), null],
      [rowRef(B, 'gone'), row('gone', '10')],
    ]);
    const updates = [
      { board: B, rowId: 'a', row: row('a', '70') },
      { board: B, rowId: 'b', row: row('b', '60') },
      { board: B, rowId: 'gone', row: null },
    ];
    const versions = { [`board:${B}`]: 8 };
    const deltas = boardDeltas(
      'c',
      updates,
      previous,
      versions,
      new Map([[rowRef(B, 'a'), 3]]),
      new Map([
        [rowRef(B, 'a'), 1],
        [rowRef(B, 'b'), 2],
      ]),
    );
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ competitionId: 'c', board: B, prev: 7, version: 8, removed: ['gone'] });
    expect(deltas[0]?.rows).toEqual([
      { ...row('a', '70'), rank: 1, previousRank: 3, previousTotal: '50' },
      { ...row('b', '60'), rank: 2, previousRank: null, previousTotal: null },
    ]);
  });

  it('gives a dns/dsq row no rank, and a row the store did not find its previous rank', () => {
    const previous = new Map([[rowRef(B, 'a'), row('a', '50')]]);
    const updates = [
      { board: B, rowId: 'a', row: row('a', '55') },
      { board: B, rowId: 'd', row: row('d', '0', 'dsq') },
    ];
    const deltas = boardDeltas('c', updates, previous, {}, new Map([[rowRef(B, 'a'), 4]]), new Map());
    expect(deltas[0]?.rows.map((r) => [r.id, r.rank])).toEqual([
      ['a', 4],
      ['d', null],
    ]);
  });

  it('splits updates by board, each with its own version chain', () => {
    const other = 'e1|overall|individual';
    const deltas = boardDeltas(
      'c',
      [
        { board: B, rowId: 'a', row: row('a', '1') },
        { board: other, rowId: 'a', row: row('a', '1') },
      ],
      new Map(),
      {},
      new Map(),
      new Map(),
    );
    expect(deltas.map((d) => d.board)).toEqual([B, other]);
  });
});

describe('replacedBoards', () => {
  it('names every board of the old and new set-up, and boards listed in the store', () => {
    const setup = competitionSchema.parse({
      id: 'c',
      name: 'C',
      events: [
        {
          id: 'e1',
          name: 'E1',
          criteria: [{ id: 'q', label: 'Q', max: 10, step: 1 }],
          scoring: { aggregation: { kind: 'mean' }, decimals: 1 },
          rounds: [{ id: 'r1', name: 'R1', kind: 'final', mode: 'onsite' }],
        },
      ],
      contestants: [],
      judges: [],
    });
    const boards = replacedBoards([null, setup], ['old|r9|individual']);
    expect(boards).toContain('old|r9|individual');
    for (const roundId of ['r1', 'overall']) {
      for (const scope of ['individual', 'team', 'organisation'])
        expect(boards).toContain(`e1|${roundId}|${scope}`);
    }
    expect(boards).toHaveLength(7);
  });
});
