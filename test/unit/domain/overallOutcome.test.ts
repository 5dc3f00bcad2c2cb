import { describe, expect, it } from 'vitest';
import { competitionSchema, emptySheet, type Outcome, type Sheet } from '../../../shared/model.ts';
import { overallRow } from '../../../server/domain/projection.ts';

const setup = competitionSchema.parse({
  id: 'cup',
  name: 'Cup',
  events: [
    {
      id: 'ev',
      name: 'Ev',
      criteria: [{ id: 'a', label: 'A', max: 100, step: 1 }],
      scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
      rounds: [
        { id: 'r1', name: 'R1', kind: 'preliminary', mode: 'onsite', weight: '0.4' },
        { id: 'r2', name: 'R2', kind: 'final', mode: 'onsite', weight: '0.6' },
      ],
    },
  ],
  contestants: [{ id: 'c1', eventId: 'ev', bib: '1', name: 'A', organisation: 'O', region: 'R' }],
  judges: [{ id: 'j1', name: 'J', role: 'judge', eventIds: ['ev'] }],
});
const event = setup.events[0]!;

function sheet(mark: string | null, outcome: Outcome = 'ok'): Sheet {
  return { ...emptySheet(), outcome, marks: mark === null ? {} : { j1: { a: mark } } };
}

describe('overall result of a contestant who missed a round (regression: DNS in round 2 gave an ordinary overall total)', () => {
  it('a DNS in round 2 makes the overall DNS: no total, no rank, complete', () => {
    const row = overallRow(setup, event, 'c1', { r1: sheet('80'), r2: sheet(null, 'dns') });
    expect(row).toMatchObject({ outcome: 'dns', total: '0.00', complete: true, rankKey: 'c' });
  });

  it('the worst outcome of the rounds counts: dsq over dns over dnf', () => {
    expect(overallRow(setup, event, 'c1', { r1: sheet(null, 'dnf'), r2: sheet(null, 'dns') })?.outcome).toBe(
      'dns',
    );
    expect(overallRow(setup, event, 'c1', { r1: sheet(null, 'dsq'), r2: sheet(null, 'dnf') })?.outcome).toBe(
      'dsq',
    );
    expect(overallRow(setup, event, 'c1', { r1: sheet(null, 'dnf'), r2: sheet('90') })?.outcome).toBe('dnf');
  });

  it('a round with no sheet (not reached) adds nothing and is not an outcome', () => {
    expect(overallRow(setup, event, 'c1', { r1: sheet('60') })).toMatchObject({
      outcome: 'ok',
      total: '24.00',
    });
  });
});
