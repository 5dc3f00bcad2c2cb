/**
 * Region boards (docs/VENUES.md, "Region boards"): a region with two or more of an event's venues
 * gets a board of its own, holding exactly its venues' contestants with the event board's rows;
 * a region with one venue (its board would repeat the venue's) or one holding every venue (it
 * would repeat the event's) gets none.
 */
import { describe, expect, it } from 'vitest';
import { boardKey, parseBoardKey } from '../../../shared/boards.ts';
import { emptySheet, type Competition, type Sheet } from '../../../shared/model.ts';
import { demoCompetition } from '../../../server/demo/demoCompetition.ts';
import { withVenues } from '../../../server/demo/demoVenues.ts';
import { boardsOfSetup, findBoard } from '../../../server/domain/boardList.ts';
import { projectAll } from '../../../server/domain/projection.ts';
import { regionsWithBoards } from '../../../shared/regions.ts';
import type { SheetKey } from '../../../server/store/types.ts';

/** Four venues: v1 and v2 in 河南|中原 (a '|' to prove the encoding), v3 in 湖北, v4 in 河南|中原 too. */
function fourVenues(): Competition {
  const base = withVenues(demoCompetition({ competitionId: 'regions', contestantsPerEvent: 12 }), 4);
  const regions = ['河南|中原', '河南|中原', '湖北', '河南|中原'];
  return { ...base, venues: (base.venues ?? []).map((v, i) => ({ ...v, region: regions[i] ?? v.region })) };
}

function marked(total: number): Sheet {
  return { ...emptySheet(), marks: { x: { appearance: String(total % 30) } } };
}

describe('region boards', () => {
  it('round-trips a region board id, whatever the region’s text', () => {
    const ref = {
      eventId: 'welding',
      roundId: 'prelim',
      scope: 'individual' as const,
      region: '河南|中原 %@',
    };
    expect(parseBoardKey(boardKey(ref))).toEqual(ref);
    expect(boardKey(ref).split('|')).toHaveLength(4);
    expect(parseBoardKey('welding|prelim|team|@@x')).toBeNull();
    expect(parseBoardKey('welding|prelim|individual|@@')).toBeNull();
  });

  it('gives a board to a region with several of the event’s venues, with exactly their contestants and the event board’s rows', () => {
    const setup = fourVenues();
    expect(regionsWithBoards(setup, 'welding')).toEqual(['河南|中原']);
    const sheets: Array<{ key: SheetKey; sheet: Sheet }> = setup.contestants.map((c, i) => ({
      key: { eventId: c.eventId, roundId: 'prelim', contestantId: c.id },
      sheet: marked(i * 7),
    }));
    const boards = projectAll(setup, sheets);
    const all = boards.get('welding|prelim|individual');
    const region = boardKey({
      eventId: 'welding',
      roundId: 'prelim',
      scope: 'individual',
      region: '河南|中原',
    });
    const expected = setup.contestants.filter(
      (c) => c.eventId === 'welding' && ['v1', 'v2', 'v4'].includes(c.venueId ?? ''),
    );
    const rows = boards.get(region);
    expect([...(rows?.keys() ?? [])].sort()).toEqual(expected.map((c) => c.id).sort());
    for (const [id, row] of rows ?? []) expect(row).toEqual(all?.get(id));
    expect(
      boards.has(boardKey({ eventId: 'welding', roundId: 'prelim', scope: 'individual', region: '湖北' })),
    ).toBe(false);
  });

  it('lists region boards named after the region, found by their results address', () => {
    const setup = fourVenues();
    const listed = boardsOfSetup(setup).filter((b) => b.region !== undefined && b.eventId === 'welding');
    expect(listed.map((b) => b.roundId)).toEqual(['prelim', 'final', 'overall']);
    expect(listed[0]?.name).toContain('河南|中原');
    const info = listed[0];
    if (info === undefined) throw new Error('no region board');
    expect(findBoard(boardsOfSetup(setup), decodeURIComponent(info.path))?.board).toBe(info.board);
  });

  it('gives no region board when each region has one venue, or one region has them all', () => {
    const oneEach = withVenues(demoCompetition({ competitionId: 'r1', contestantsPerEvent: 9 }), 3);
    expect(regionsWithBoards(oneEach, 'welding')).toEqual([]);
    const allOne = { ...oneEach, venues: (oneEach.venues ?? []).map((v) => ({ ...v, region: '河南' })) };
    expect(regionsWithBoards(allOne, 'welding')).toEqual([]);
    expect(boardsOfSetup(allOne).some((b) => b.region !== undefined)).toBe(false);
  });
});
