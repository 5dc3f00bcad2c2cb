import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, type Decimal } from '../../../shared/decimal.ts';
import type { Outcome, ScoringRule } from '../../../shared/model.ts';
import { rankKey, type RankInput } from '../../../shared/scoring/index.ts';
import { makeEvent } from './fixtures.ts';

function ruleWith(criteria: string[], earlierFinish: boolean): ScoringRule {
  return makeEvent([{ id: 'c' }], { tieBreak: { criteria, earlierFinish } }).scoring;
}

const OUTCOME_ORDER: Outcome[] = ['ok', 'dnf', 'dns', 'dsq'];

/** The obvious comparator: negative when a ranks better than b, 0 when tied. */
function compareInputs(rule: ScoringRule, a: RankInput, b: RankInput): number {
  const byOutcome = OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome);
  if (byOutcome !== 0 || a.outcome !== 'ok') return byOutcome;
  const desc = (x: string | null, y: string | null): number => {
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (parse(y) as Decimal).comparedTo(parse(x));
  };
  const byTotal = desc(a.total, b.total);
  if (byTotal !== 0) return byTotal;
  for (let i = 0; i < rule.tieBreak.criteria.length; i++) {
    const c = desc(a.tieBreak[i] ?? null, b.tieBreak[i] ?? null);
    if (c !== 0) return c;
  }
  if (!rule.tieBreak.earlierFinish) return 0;
  const fa = a.finishedAt ?? Infinity;
  const fb = b.finishedAt ?? Infinity;
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** Decimals with up to 6 places, from a small pool (to get ties) or huge (up to 10^30). */
const amount = fc.oneof(
  fc.constantFrom('0', '8.5', '8.50', '9', '10.000001', '999999999999.999999', '1000000000000'),
  fc.bigInt({ min: 0n, max: 10n ** 36n }).chain((n) =>
    fc.integer({ min: 0, max: 6 }).map((places) => {
      const digits = n.toString().padStart(places + 1, '0');
      return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    }),
  ),
);

const rankInput = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c'),
    total: amount,
    outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'dnf', 'dns', 'dsq'),
    tieBreak: fc.array(fc.option(amount, { freq: 4 }), { minLength: 2, maxLength: 2 }),
    finishedAt: fc.constantFrom(0, 1_700_000_000_000, 1_700_000_000_001, Number.MAX_SAFE_INTEGER),
  },
  { requiredKeys: ['id', 'total', 'outcome', 'tieBreak'] },
);

describe('rankKey', () => {
  it('orders exactly like the straightforward comparator, huge values and ties included', () => {
    fc.assert(
      fc.property(
        fc.subarray(['t1', 't2']),
        fc.boolean(),
        rankInput,
        rankInput,
        (criteria, earlierFinish, a, b) => {
          const rule = ruleWith(criteria, earlierFinish);
          const ka = rankKey(rule, a);
          const kb = rankKey(rule, b);
          const expected = Math.sign(compareInputs(rule, a, b));
          expect(ka < kb ? -1 : ka > kb ? 1 : 0).toBe(expected);
          expect(Buffer.compare(Buffer.from(ka), Buffer.from(kb))).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('uses only digits and letters, never the row id, and the same key for equal values', () => {
    const rule = ruleWith(['t1'], true);
    const key = rankKey(rule, { id: 'zz-top', total: '8.5', outcome: 'ok', tieBreak: ['7'], finishedAt: 5 });
    expect(key).toMatch(/^[a-d][0-9]+$/);
    expect(key).not.toContain('zz-top');
    expect(
      rankKey(rule, { id: 'other', total: '8.50', outcome: 'ok', tieBreak: ['7.0'], finishedAt: 5 }),
    ).toBe(key);
  });

  it('ranks a total with tie-break above an equal total without one, and dnf/dns/dsq last, in that order', () => {
    const rule = ruleWith(['t1'], false);
    const keys = [
      rankKey(rule, { id: '1', total: '90', outcome: 'ok', tieBreak: ['5'] }),
      rankKey(rule, { id: '2', total: '90', outcome: 'ok', tieBreak: [null] }),
      rankKey(rule, { id: '3', total: '0', outcome: 'ok', tieBreak: [null] }),
      rankKey(rule, { id: '4', total: '0', outcome: 'dnf', tieBreak: [] }),
      rankKey(rule, { id: '5', total: '0', outcome: 'dns', tieBreak: [] }),
      rankKey(rule, { id: '6', total: '0', outcome: 'dsq', tieBreak: [] }),
    ];
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses values it cannot encode exactly rather than truncating them', () => {
    const rule = ruleWith([], true);
    expect(() => rankKey(rule, { id: 'x', total: '1.0000001', outcome: 'ok', tieBreak: [] })).toThrow(
      RangeError,
    );
    expect(() =>
      rankKey(rule, { id: 'x', total: '1', outcome: 'ok', tieBreak: [], finishedAt: 1.5 }),
    ).toThrow(RangeError);
  });
});
