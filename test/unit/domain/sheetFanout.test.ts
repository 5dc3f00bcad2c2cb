import { describe, expect, it } from 'vitest';
import type { SheetChange } from '../../../server/domain/plan.ts';
import { sheetPushes } from '../../../server/domain/sheetFanout.ts';
import { competitionSchema, emptySheet, type Sheet } from '../../../shared/model.ts';

/** One event judged by j1, j2, j3 and a chief; blind unless told. */
function setup(blind: boolean) {
  return competitionSchema.parse({
    id: 'fan',
    name: 'Fan-out',
    events: [
      {
        id: 'e1',
        name: 'Welding',
        criteria: [{ id: 'q', label: 'Quality', max: 100, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2, blind },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [{ id: 'c1', eventId: 'e1', bib: 'B1', name: 'C One', organisation: 'Org', region: 'N' }],
    judges: ['j1', 'j2', 'j3', 'chief'].map((id) => ({
      id,
      name: id,
      role: id === 'chief' ? 'chief' : 'judge',
      eventIds: ['e1'],
    })),
  });
}

function change(blind: boolean, before: Sheet, after: Sheet, by: string | null): SheetChange {
  const key = { eventId: 'e1', roundId: 'r1', contestantId: 'c1' };
  return { setup: setup(blind), key, before, after, onStage: false, by };
}

const withMarks = (marks: Record<string, string>): Sheet => ({
  ...emptySheet(),
  marks: Object.fromEntries(Object.entries(marks).map(([j, q]) => [j, { q }])),
});

const recipients = (pushes: ReturnType<typeof sheetPushes>) => pushes.flatMap((p) => p.judgeIds).sort();

describe('sheetPushes', () => {
  it('tells only the chief of a blind mark that reveals nothing', () => {
    const pushes = sheetPushes(
      change(true, withMarks({ j1: '80' }), withMarks({ j1: '80', j2: '70' }), 'j2'),
    );
    expect(recipients(pushes)).toEqual(['chief']);
    expect(pushes[0]?.line.others).toBeNull();
  });

  it('shows a non-blind mark to the other judges, one shared push for those who have not marked', () => {
    const pushes = sheetPushes(
      change(false, withMarks({ j1: '80' }), withMarks({ j1: '80', j2: '70' }), 'j2'),
    );
    expect(recipients(pushes)).toEqual(['chief', 'j1', 'j3']);
    const j3 = pushes.find((p) => p.judgeIds.includes('j3'));
    expect(j3?.judgeIds).toEqual(['j3']);
    expect(pushes.find((p) => p.judgeIds.includes('j1'))?.line.others).toEqual({ j2: { q: '70' } });
  });

  it('reveals a blind sheet to every judge once the panel has marked, though the chief who only signs has not (regression: the chief was counted)', () => {
    const pushes = sheetPushes(
      change(true, withMarks({ j1: '80', j2: '70' }), withMarks({ j1: '80', j2: '70', j3: '75' }), 'j3'),
    );
    expect(recipients(pushes)).toEqual(['chief', 'j1', 'j2', 'j3']);
    expect(pushes.find((p) => p.judgeIds.includes('j1'))?.line.others).toEqual({
      j2: { q: '70' },
      j3: { q: '75' },
    });
  });

  it('tells a judge when the chief corrects their mark, and everyone when a sheet is locked', () => {
    const corrected = sheetPushes(change(true, withMarks({ j1: '80' }), withMarks({ j1: '85' }), 'chief'));
    expect(recipients(corrected)).toEqual(['chief', 'j1']);
    const locked = sheetPushes(change(true, emptySheet(), { ...emptySheet(), locked: true }, 'chief'));
    expect(recipients(locked)).toEqual(['chief', 'j1', 'j2', 'j3']);
    // Judges without marks share one line; the chief's carries the chief part.
    expect(locked.map((p) => p.judgeIds.length).sort()).toEqual([1, 3]);
  });
});
