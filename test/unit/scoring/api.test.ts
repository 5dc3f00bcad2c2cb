import { describe, expect, it } from 'vitest';
import * as scoring from '../../../shared/scoring/index.ts';
import type { ScoringApi } from '../../../shared/scoring/index.ts';

describe('shared/scoring/index.ts', () => {
  it('exports every function of the scoring contract', () => {
    // The annotation makes tsc check each signature against the contract.
    const api: ScoringApi = scoring;
    expect(Object.keys(api).sort()).toEqual(
      [
        'combineRounds',
        'computeSheet',
        'measuredPoints',
        'medalFor',
        'rankKey',
        'rankRows',
        'standardise',
        'standingTotal',
      ].sort(),
    );
  });
});
