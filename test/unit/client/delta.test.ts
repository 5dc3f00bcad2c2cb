import { describe, expect, it } from 'vitest';
import type { RankedRow } from '../../../shared/boards.ts';
import type { DeltaRow } from '../../../shared/events.ts';
import { applyDelta, deltaDecision } from '../../../client/src/lib/delta.ts';

const row = (id: string, total: string, rankKey: string): RankedRow => ({
  id,
  total,
  complete: true,
  outcome: 'ok',
  rankKey,
  rank: 0,
});

/** A delta row: the row's final state at the delta's version. */
const changed = (r: RankedRow): DeltaRow => ({ ...r, previousRank: null, previousTotal: null });

describe('deltaDecision', () => {
  it('applies the next delta in the chain', () => {
    expect(deltaDecision(5, { prev: 5, version: 6 })).toBe('apply');
  });

  it('applies a coalesced delta that overlaps the version the board holds', () => {
    expect(deltaDecision(5, { prev: 3, version: 8 })).toBe('apply');
  });

  it('ignores a delta the board already holds', () => {
    expect(deltaDecision(5, { prev: 4, version: 5 })).toBe('stale');
    expect(deltaDecision(5, { prev: 1, version: 3 })).toBe('stale');
  });

  it('reports a gap when the delta starts after the version the board holds', () => {
    expect(deltaDecision(5, { prev: 6, version: 7 })).toBe('gap');
  });
});

describe('applying an overlapping delta', () => {
  it('gives the same ranking as applying the chain step by step', () => {
    const start = [row('a', '10', '0010'), row('b', '20', '0020')];
    // Versions 4→5 (b rises) and 5→6 (a rises, c added); merged they are the delta 4→6.
    const b30 = changed(row('b', '30', '0030'));
    const a40 = changed(row('a', '40', '0040'));
    const c5 = changed(row('c', '5', '0005'));
    const held = applyDelta(start, { rows: [b30], removed: [] });
    const stepwise = applyDelta(held, { rows: [a40, c5], removed: [] });
    expect(deltaDecision(5, { prev: 4, version: 6 })).toBe('apply');
    expect(applyDelta(held, { rows: [b30, a40, c5], removed: [] })).toEqual(stepwise);
  });
});
