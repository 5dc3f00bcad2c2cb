import { describe, expect, it } from 'vitest';
import type { RankedRow } from '../../../shared/boards.ts';
import {
  finalizeRound,
  freeze,
  initialControl,
  revealStep,
  setEmbargo,
  setOnStage,
  setRoundState,
  toPublicControl,
  unfreeze,
} from '../../../server/domain/control.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { frozenView, revealPlan } from '../../../server/domain/views.ts';
import { fixture } from './fixture.ts';

const row = (id: string, total: string, rank: number): RankedRow => ({
  id,
  total,
  complete: true,
  outcome: 'ok',
  rankKey: `a${String(100 - Number(total)).padStart(3, '0')}`,
  rank,
});

describe('control transitions', () => {
  it('reports every round, pending by default, and never reopens a finalized round', () => {
    let control = setRoundState(initialControl(), 'lathe', 'r1', 'open');
    control = setOnStage(control, 'lathe', 'r1', 'c1');
    control = finalizeRound(control, 'lathe', 'r1');
    expect(toPublicControl('cup', control, fixture()).rounds).toEqual({
      'lathe|r1': 'finalized',
      'lathe|r2': 'pending',
      'weld|r1': 'pending',
    });
    expect(control.stage.lathe).toBeUndefined();
    expect(() => setRoundState(control, 'lathe', 'r1', 'open')).toThrow(PodiumError);
    expect(() => setOnStage(control, 'lathe', 'r1', 'c2')).toThrow(PodiumError);
  });

  it('freezes, reveals step by step and lifts, and embargoes without duplicates', () => {
    let control = freeze(initialControl(), 'lathe', 'r2', { b: [row('c1', '10', 1)] });
    control = revealStep(revealStep(control, 'lathe', 'r2', 'c1'), 'lathe', 'r2', 'c2');
    expect(toPublicControl('cup', control, null).frozen).toEqual({ 'lathe|r2': { revealed: 2 } });
    expect(control.freezes['lathe|r2']?.revealedIds).toEqual(['c1', 'c2']);
    expect(toPublicControl('cup', unfreeze(control, 'lathe', 'r2'), null).frozen).toEqual({});
    expect(() => revealStep(initialControl(), 'lathe', 'r2', 'c1')).toThrow(PodiumError);
    const embargoed = setEmbargo(setEmbargo(initialControl(), 'weld', true), 'weld', true);
    expect(embargoed.embargoed).toEqual(['weld']);
    expect(setEmbargo(embargoed, 'weld', false).embargoed).toEqual([]);
  });
});

describe('frozenView and revealPlan (the ICPC-style ceremony)', () => {
  const frozen = [row('c1', '50', 1), row('c2', '40', 2), row('c3', '30', 3), row('c5', '20', 4)];
  // Since the freeze c3 overtook everyone, c5 rose past c2, and c4 appeared; c1 and c2 did not change.
  const live = [
    row('c3', '60', 1),
    row('c1', '50', 2),
    row('c5', '45', 3),
    row('c2', '40', 4),
    row('c4', '10', 5),
  ];
  const at = (revealedIds: string[]) => ({
    frozenBoards: { b: frozen },
    revealed: revealedIds.length,
    revealedIds,
  });
  const view = (revealedIds: string[]) =>
    frozenView(at(revealedIds), 'b', live).map((r) => `${r.rank}:${r.id}:${r.total}`);

  it('shows the frozen ranking with only the revealed contestants live, re-ranked', () => {
    expect(view([])).toEqual(['1:c1:50', '2:c2:40', '3:c3:30', '4:c5:20']);
    expect(view(['c4'])).toEqual(['1:c1:50', '2:c2:40', '3:c3:30', '4:c5:20', '5:c4:10']);
    expect(view(['c4', 'c5', 'c3'])).toEqual(['1:c3:60', '2:c1:50', '3:c5:45', '4:c2:40', '5:c4:10']);
  });

  it('marks changed rows pending and reveals hidden ones first, then the lowest pending row (regression: unchanged rows took steps that showed nothing)', () => {
    const plan = (ids: string[]) => revealPlan(at(ids), 'b', live);
    expect(plan([])).toEqual({ pending: ['c3', 'c5'], hidden: ['c4'], next: 'c4' });
    expect(plan(['c4'])).toEqual({ pending: ['c3', 'c5'], hidden: [], next: 'c5' });
    expect(plan(['c4', 'c5'])).toEqual({ pending: ['c3'], hidden: [], next: 'c3' });
    expect(plan(['c4', 'c5', 'c3'])).toEqual({ pending: [], hidden: [], next: null });
  });
});
