/** Reset lists as listeners get them (server/domain/changes.ts); board deltas: the store contract suite. */
import { describe, expect, it } from 'vitest';
import { competitionSchema } from '../../../shared/model.ts';
import { replacedBoards } from '../../../server/domain/changes.ts';

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
