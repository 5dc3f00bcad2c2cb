/** Who may see what (server/domain/visibility.ts), and the views that ask it. */
import { describe, expect, it } from 'vitest';
import type { StageState } from '../../../shared/events.ts';
import { competitionSchema, emptySheet, type Sheet } from '../../../shared/model.ts';
import { freeze, initialControl, setEmbargo, toPublicControl } from '../../../server/domain/control.ts';
import { judgeLine, stageView } from '../../../server/domain/views.ts';
import {
  marksVisible,
  publicBoardView,
  publicStage,
  publicView,
  requireAssigned,
  requireJudge,
  requireOrganiser,
} from '../../../server/domain/visibility.ts';

/** Events "e1" (judges j1, j2, j3) and "e2" (j1 only); blind unless told. */
function setup(blind = true) {
  return competitionSchema.parse({
    id: 'vis',
    name: 'Visibility',
    events: ['e1', 'e2'].map((id) => ({
      id,
      name: id,
      criteria: [{ id: 'q', label: 'Quality', max: 100, step: 0.5 }],
      scoring: { aggregation: { kind: 'mean' }, decimals: 2, blind },
      rounds: [
        { id: 'r1', name: 'Prelim', kind: 'preliminary', mode: 'onsite' },
        { id: 'r2', name: 'Final', kind: 'final', mode: 'onsite' },
      ],
    })),
    contestants: [{ id: 'c1', eventId: 'e1', bib: 'B1', name: 'C One', organisation: 'Org', region: 'N' }],
    judges: [
      { id: 'j1', name: 'j1', role: 'judge', eventIds: ['e1', 'e2'] },
      { id: 'j2', name: 'j2', role: 'judge', eventIds: ['e1'] },
      { id: 'j3', name: 'j3', role: 'judge', eventIds: ['e1'] },
    ],
  });
}

const marked = (...judges: string[]): Sheet => ({
  ...emptySheet(),
  marks: Object.fromEntries(judges.map((j, i) => [j, { q: String(60 + i) }])),
});
const KEY = { eventId: 'e1', roundId: 'r1', contestantId: 'c1' };

describe('blind judging', () => {
  it('shows marks beside each other only once every assigned judge has marked, unless the event is not blind', () => {
    const blind = setup(true).events[0]!;
    const open = setup(false).events[0]!;
    expect(marksVisible(blind, 3, 2)).toBe(false);
    expect(marksVisible(blind, 3, 3)).toBe(true);
    expect(marksVisible(blind, 0, 0)).toBe(false);
    expect(marksVisible(open, 3, 0)).toBe(true);
  });

  it('keeps the other judges’ marks off a worklist line and totals off the stage until all have marked', () => {
    const s = setup(true);
    const event = s.events[0]!;
    const partial = marked('j1', 'j2');
    expect(judgeLine(s, event, KEY, partial, 'j1', false).others).toBeNull();
    expect(stageView('vis', s, event, 'r1', 'c1', partial).judges.map((j) => j.total)).toEqual([
      null,
      null,
      null,
    ]);

    const full = marked('j1', 'j2', 'j3');
    expect(judgeLine(s, event, KEY, full, 'j1', false).others).toEqual({ j2: { q: '61' }, j3: { q: '62' } });
    expect(stageView('vis', s, event, 'r1', 'c1', full).judges.map((j) => j.total)).toEqual([
      '60.00',
      '61.00',
      '62.00',
    ]);
  });

  it('shows an open event’s marks at once', () => {
    const s = setup(false);
    expect(judgeLine(s, s.events[0]!, KEY, marked('j1', 'j2'), 'j1', false).others).toEqual({
      j2: { q: '61' },
    });
  });
});

describe('what the public sees of a board', () => {
  const frozenRows = [
    { id: 'c1', total: '60', complete: true, outcome: 'ok' as const, rankKey: 'k', rank: 1 },
  ];
  const frozen = freeze(initialControl(), 'e1', 'r1', { 'e1|r1|individual': frozenRows });

  it('is live with nothing frozen or embargoed', () => {
    expect(publicBoardView(initialControl(), 'e1|r1|individual')).toEqual({ kind: 'live' });
  });

  it('is the frozen snapshot for the boards a freeze covers, and live for the rest', () => {
    expect(publicBoardView(frozen, 'e1|r1|individual')).toEqual({
      kind: 'frozen',
      freeze: frozen.freezes['e1|r1'],
    });
    expect(publicBoardView(frozen, 'e1|r2|individual')).toEqual({ kind: 'live' });
    expect(publicBoardView(frozen, 'e2|r1|individual')).toEqual({ kind: 'live' });
  });

  it('is withheld for every board of an embargoed event, even a frozen one', () => {
    const embargoed = setEmbargo(frozen, 'e1', true);
    for (const board of ['e1|r1|individual', 'e1|overall|team', 'e1|r2|organisation']) {
      expect(publicBoardView(embargoed, board)).toEqual({ kind: 'withheld' });
    }
    expect(publicBoardView(embargoed, 'e2|r1|individual')).toEqual({ kind: 'live' });
  });

  it('gives the broadcaster one answer per board with the public control', () => {
    const view = publicView('vis', setEmbargo(frozen, 'e2', true), setup());
    expect(view.live('e1|r1|individual')).toBe(false);
    expect(view.live('e1|r2|individual')).toBe(true);
    expect(view.live('e2|r2|individual')).toBe(false);
    expect(view.control.embargoed).toEqual(['e2']);
    expect(view.control.frozen).toEqual({ 'e1|r1': { revealed: 0 } });
  });
});

describe('what the public sees of a stage', () => {
  const stage: StageState = {
    competitionId: 'vis',
    eventId: 'e1',
    roundId: 'r1',
    contestantId: 'c1',
    judges: [{ judgeId: 'j1', name: 'j1', marked: true, total: '60.00' }],
    total: '60.00',
    complete: false,
  };

  it('hides the totals of a frozen round and of an embargoed event, nothing else', () => {
    const s = setup();
    const none = toPublicControl('vis', initialControl(), s);
    expect(publicStage(stage, none)).toEqual(stage);
    const frozenR1 = toPublicControl('vis', freeze(initialControl(), 'e1', 'r1', {}), s);
    expect(publicStage(stage, frozenR1)).toMatchObject({
      total: null,
      judges: [{ total: null, marked: true }],
    });
    expect(publicStage({ ...stage, roundId: 'r2' }, frozenR1)).toEqual({ ...stage, roundId: 'r2' });
    const embargoed = toPublicControl('vis', setEmbargo(initialControl(), 'e1', true), s);
    expect(publicStage(stage, embargoed).total).toBeNull();
  });
});

describe('who may read', () => {
  const judge = { kind: 'judge', judgeId: 'j2', competitionId: 'vis', role: 'judge' } as const;

  it('lets organisers read set-ups and all sheets, judges their own worklists of their events', () => {
    expect(() => requireOrganiser({ kind: 'organiser', id: 'o' })).not.toThrow();
    expect(() => requireOrganiser(judge)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(requireJudge(judge)).toBe(judge);
    expect(() => requireJudge({ kind: 'public' })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => requireAssigned(setup(), 'j2', 'e1')).not.toThrow();
    expect(() => requireAssigned(setup(), 'j2', 'e2')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
  });
});
