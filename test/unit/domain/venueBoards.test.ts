/**
 * Venue boards (docs/VENUES.md): every contestant of a venue is on the venue's board with the very
 * row of the event's board, computed by the same pure projection; set-ups with unknown venues are
 * refused; a venue's judge marks only there.
 */
import { describe, expect, it } from 'vitest';
import { boardKey, parseBoardKey } from '../../../shared/boards.ts';
import { emptySheet, type Sheet } from '../../../shared/model.ts';
import { demoCompetition } from '../../../server/demo/demoCompetition.ts';
import { withVenues } from '../../../server/demo/demoVenues.ts';
import { boardsOfSetup } from '../../../server/domain/boardList.ts';
import { initialControl } from '../../../server/domain/control.ts';
import { markingJudgeIds } from '../../../server/domain/officialOps.ts';
import { authorize } from '../../../server/domain/policy.ts';
import { projectAll, roundRow } from '../../../server/domain/projection.ts';
import { venueProblems } from '../../../server/domain/venues.ts';
import type { SheetKey } from '../../../server/store/types.ts';

const setup = withVenues(demoCompetition({ competitionId: 'venues', contestantsPerEvent: 9 }), 3);

function marked(total: number): Sheet {
  return { ...emptySheet(), marks: { x: { appearance: String(total % 30) } } };
}

describe('venue boards', () => {
  it('round-trips a venue board id and keeps category ids apart', () => {
    const ref = { eventId: 'welding', roundId: 'overall', scope: 'individual' as const, venueId: 'v2' };
    expect(boardKey(ref)).toBe('welding|overall|individual|@v2');
    expect(parseBoardKey(boardKey(ref))).toEqual(ref);
    const category = { eventId: 'welding', roundId: 'prelim', scope: 'individual' as const, category: '@v2' };
    expect(parseBoardKey(boardKey(category))).toEqual(category);
    expect(parseBoardKey('welding|prelim|team|@v2')).toBeNull();
  });

  it('puts each venue’s contestants, and only them, on its board with the event board’s rows', () => {
    const sheets: Array<{ key: SheetKey; sheet: Sheet }> = setup.contestants.map((c, i) => ({
      key: { eventId: c.eventId, roundId: 'prelim', contestantId: c.id },
      sheet: marked(i * 7),
    }));
    const boards = projectAll(setup, sheets);
    const all = boards.get('welding|prelim|individual');
    expect(all?.size).toBe(9);
    let seen = 0;
    for (const venueId of ['v1', 'v2', 'v3']) {
      const rows = boards.get(`welding|prelim|individual|@${venueId}`);
      const expected = setup.contestants.filter((c) => c.eventId === 'welding' && c.venueId === venueId);
      expect([...(rows?.keys() ?? [])].sort()).toEqual(expected.map((c) => c.id).sort());
      for (const [id, row] of rows ?? []) expect(row).toEqual(all?.get(id));
      seen += rows?.size ?? 0;
      expect(boards.has(`welding|overall|individual|@${venueId}`)).toBe(true);
    }
    expect(seen).toBe(9);
  });

  it('lists venue boards among the set-up’s boards, named after the venue', () => {
    const venueBoards = boardsOfSetup(setup).filter((b) => b.venueId !== undefined);
    expect(venueBoards.map((b) => b.board)).toContain('welding|prelim|individual|@v1');
    expect(venueBoards.find((b) => b.board === 'cnc|overall|individual|@v3')?.name).toContain('开封');
  });

  it('completes a sheet once its own venue’s panel has marked: judges of other venues are not waited for (regression: never complete)', () => {
    const event = setup.events.find((e) => e.id === 'welding');
    const contestant = setup.contestants.find((c) => c.eventId === 'welding' && c.venueId === 'v2');
    if (event === undefined || contestant === undefined) throw new Error('demo set-up changed');
    const panel = markingJudgeIds(setup, { eventId: 'welding', contestantId: contestant.id });
    const atV2 = setup.judges.filter(
      (j) => j.venueId === 'v2' && j.eventIds.includes('welding') && (j.role === 'judge' || j.panel === true),
    );
    expect(panel.sort()).toEqual(atV2.map((j) => j.id).sort());
    const judged = event.criteria.filter((c) => c.kind !== 'measured');
    const sheet: Sheet = {
      ...emptySheet(),
      marks: Object.fromEntries(panel.map((j) => [j, Object.fromEntries(judged.map((c) => [c.id, '5']))])),
      measured: Object.fromEntries(
        event.criteria.filter((c) => c.kind === 'measured').map((c) => [c.id, '20']),
      ),
    };
    expect(roundRow(setup, event, contestant.id, sheet).complete).toBe(true);
    // One v2 judge missing: still waiting.
    const missing = { ...sheet, marks: Object.fromEntries(Object.entries(sheet.marks).slice(1)) };
    expect(roundRow(setup, event, contestant.id, missing).complete).toBe(false);
  });

  it('refuses contestants or judges at a venue that does not exist', () => {
    expect(venueProblems(setup)).toEqual([]);
    const broken = { ...setup, contestants: [{ ...setup.contestants[0]!, venueId: 'nowhere' }] };
    expect(venueProblems(broken)).toEqual([
      `contestant ${setup.contestants[0]!.id}: venue nowhere does not exist`,
    ]);
    expect(() =>
      authorize(
        { kind: 'organiser', id: 'o' },
        { name: 'setup.put', payload: { opId: 'op-1', competition: broken } },
        {
          setup: null,
          control: initialControl(),
        },
      ),
    ).toThrow(/venue nowhere/);
  });

  it('lets a venue’s judge mark only that venue’s contestants', () => {
    const here = setup.contestants.find((c) => c.eventId === 'welding' && c.venueId === 'v1')!;
    const there = setup.contestants.find((c) => c.eventId === 'welding' && c.venueId === 'v2')!;
    const judge = setup.judges.find((j) => j.venueId === 'v1' && j.eventIds.includes('welding'))!;
    const actor = { kind: 'judge' as const, judgeId: judge.id, competitionId: setup.id, role: judge.role };
    const control = { ...initialControl(), rounds: { 'welding|prelim': 'open' as const } };
    const command = (contestantId: string) => ({
      name: 'marks.submit' as const,
      payload: {
        opId: 'op-2',
        competitionId: setup.id,
        eventId: 'welding',
        roundId: 'prelim',
        contestantId,
        marks: { appearance: '20' },
      },
    });
    const ctx = { setup, control };
    expect(() => authorize(actor, command(here.id), ctx)).not.toThrow();
    expect(() => authorize(actor, command(there.id), ctx)).toThrow(/scores at venue v1/);
  });
});
