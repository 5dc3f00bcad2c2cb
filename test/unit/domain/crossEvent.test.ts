import { describe, expect, it } from 'vitest';
import type { RankedRow } from '../../../shared/boards.ts';
import { crossEventStandings, resultBoard } from '../../../server/domain/crossEvent.ts';
import { demoCompetition } from '../../../server/demo/demoCompetition.ts';

function row(id: string, total: string, extra: Partial<RankedRow> = {}): RankedRow {
  return { id, total, complete: true, outcome: 'ok', rankKey: '', rank: 0, ...extra };
}

describe('cross-event standings', () => {
  const setup = demoCompetition({ competitionId: 'x', contestantsPerEvent: 3 });
  const [a, b] = setup.events;
  if (!a || !b) throw new Error('demo competition needs two events');

  it('ranks contestants of differently marked events by their standardised score', () => {
    // Event A marks out of 100, event B out of 10: B's 9.0 stands out just as much as A's 90.
    const standings = crossEventStandings(
      setup,
      new Map([
        [a.id, [row('a1', '90'), row('a2', '80'), row('a3', '70')]],
        [b.id, [row('b1', '9.5'), row('b2', '8'), row('b3', '7.5')]],
      ]),
    );
    // A: median 80, MAD 20/3 → 90 ↦ 700 + 10·3/20·100 = 850; 70 ↦ 550.
    // B: median 8, MAD 2/3 → 9.5 ↦ 700 + 1.5·3/2·100 = 925; 7.5 ↦ 700 − 0.5·3/2·100 = 625.
    expect(standings.map((r) => [r.contestantId, r.standardised, r.rank])).toEqual([
      ['b1', '925.00', 1],
      ['a1', '850.00', 2],
      ['a2', '700.00', 3],
      ['b2', '700.00', 3],
      ['b3', '625.00', 5],
      ['a3', '550.00', 6],
    ]);
  });

  it('leaves provisional and DNS/DNF/DSQ results out of the standardisation', () => {
    const standings = crossEventStandings(
      setup,
      new Map([
        [a.id, [row('a1', '90'), row('a2', '10', { complete: false }), row('a3', '0', { outcome: 'dsq' })]],
      ]),
    );
    expect(standings).toEqual([
      { contestantId: 'a1', eventId: a.id, total: '90', standardised: '700.00', rank: 1 },
    ]);
  });

  it("takes an event's weighted overall board when rounds carry weights", () => {
    expect(resultBoard(a)).toMatch(/\|overall\|individual$/);
  });
});
