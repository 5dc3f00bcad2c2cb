/** Issue #14 item 5: which marks a score sheet strikes through — exactly those the trimmed mean left out. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../../shared/decimal.ts';
import { aggregateMarks } from '../../../shared/scoring/aggregate.ts';
import { droppedJudges } from '../../../shared/scoring/dropped.ts';

const marks = (...values: string[]) => values.map((v, i) => ({ judgeId: `j${i + 1}`, mark: parse(v) }));

describe('droppedJudges', () => {
  it('drops the k lowest and k highest of a trimmed mean, and the rest is what aggregateMarks averages', () => {
    const given = marks('8', '9.5', '7', '8.5', '6');
    const dropped = droppedJudges({ kind: 'trimmed', trim: 2 }, given);
    expect([...dropped].sort()).toEqual(['j2', 'j3', 'j4', 'j5']);
    const kept = given.filter((m) => !dropped.has(m.judgeId)).map((m) => m.mark.toString());
    expect(kept).toEqual(['8']);
    const mean = aggregateMarks(
      { kind: 'trimmed', trim: 2 },
      given.map((m) => m.mark),
    );
    expect([mean?.num.toString(), mean?.den]).toEqual(['8', 1n]);
  });

  it('drops nothing with fewer than 2k + 1 marks (the mean of all counts) or another aggregation', () => {
    expect(droppedJudges({ kind: 'trimmed', trim: 1 }, marks('8', '9')).size).toBe(0);
    expect(droppedJudges({ kind: 'mean' }, marks('1', '5', '9')).size).toBe(0);
    expect(droppedJudges({ kind: 'median' }, marks('1', '5', '9')).size).toBe(0);
  });

  it('among equal marks, strikes the first judge at the low cut and the last at the high cut', () => {
    expect([...droppedJudges({ kind: 'trimmed', trim: 1 }, marks('6', '6', '6', '6'))]).toEqual(['j1', 'j4']);
  });
});
