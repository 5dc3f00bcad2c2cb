import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../../shared/model.ts';
import { combineRounds } from '../../../shared/scoring/index.ts';
import { makeEvent } from './fixtures.ts';

function withRounds(rounds: Array<{ id: string; weight?: string }>, decimals = 2) {
  const base = makeEvent([{ id: 'c' }], { decimals });
  return eventSchema.parse({
    ...base,
    rounds: rounds.map((r) => ({ name: r.id, kind: 'final', mode: 'onsite', ...r })),
  });
}

describe('combineRounds', () => {
  it('weights the rounds: 0.3 × 80 + 0.7 × 90.55 = 87.385 → 87.39', () => {
    const event = withRounds([
      { id: 'pre', weight: '0.3' },
      { id: 'fin', weight: '0.7' },
    ]);
    expect(combineRounds(event, { pre: '80.00', fin: '90.55' })).toBe('87.39');
  });

  it('counts only the weighted rounds that have a total, and null when none has', () => {
    const event = withRounds([{ id: 'online' }, { id: 'pre', weight: '0.4' }, { id: 'fin', weight: '0.6' }]);
    expect(combineRounds(event, { online: '99', pre: '50', fin: null })).toBe('20.00');
    expect(combineRounds(event, { online: '99', pre: null })).toBeNull();
    expect(combineRounds(event, {})).toBeNull();
  });

  it('uses the last round alone when no round has a weight', () => {
    const event = withRounds([{ id: 'pre' }, { id: 'fin' }], 1);
    expect(combineRounds(event, { pre: '70', fin: '88.25' })).toBe('88.3');
    expect(combineRounds(event, { pre: '70', fin: null })).toBeNull();
  });
});
