/**
 * The hybrid logical clock (shared/hlc.ts): whatever the sites' wall clocks do (skewed, stuck,
 * going backwards), every message's receipt sorts after its sending and every site's own stamps
 * strictly increase; the text form sorts like the stamps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HybridClock, parseHlc, type HlcTimestamp } from '../../../shared/hlc.ts';

type Step =
  | { site: number; kind: 'local' }
  | { site: number; kind: 'send'; to: number }
  | { site: number; kind: 'tick'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ site: fc.nat(2), kind: fc.constant('local' as const) }),
  fc.record({ site: fc.nat(2), kind: fc.constant('send' as const), to: fc.nat(2) }),
  fc.record({
    site: fc.nat(2),
    kind: fc.constant('tick' as const),
    ms: fc.integer({ min: -5_000, max: 5_000 }),
  }),
);

describe('HybridClock', () => {
  it('keeps causal order across sites with skewed, backward-moving clocks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3_600_000, max: 3_600_000 }), { minLength: 3, maxLength: 3 }),
        fc.array(step, { maxLength: 200 }),
        (skews, steps) => {
          const base = 1_780_000_000_000;
          const physical = skews.map((s) => base + s);
          const clocks = physical.map((_p, i) => new HybridClock(`site${i}`, () => physical[i] ?? 0));
          const lastOf: Array<HlcTimestamp | null> = [null, null, null];
          const strictlyAfter = (site: number, t: HlcTimestamp) => {
            const before = lastOf[site];
            if (before !== null && before !== undefined) expect(compareHlc(before, t)).toBeLessThan(0);
            lastOf[site] = t;
          };
          for (const s of steps) {
            const clock = clocks[s.site]!;
            if (s.kind === 'tick') physical[s.site]! += s.ms;
            else if (s.kind === 'local') strictlyAfter(s.site, clock.now());
            else {
              const sent = clock.now();
              strictlyAfter(s.site, sent);
              if (s.to === s.site) continue;
              const received = clocks[s.to]!.receive(sent);
              expect(compareHlc(sent, received)).toBeLessThan(0);
              strictlyAfter(s.to, received);
            }
          }
          // Never far from the fastest wall clock seen: bounded drift.
          for (const clock of clocks)
            expect(clock.latest().wall).toBeLessThanOrEqual(
              Math.max(...physical, base + 3_600_000 + 5_000 * 200),
            );
        },
      ),
    );
  });

  it('formats to text that sorts like the stamps and parses back', () => {
    const stamp = fc.record({
      wall: fc.integer({ min: 0, max: 9e14 }),
      counter: fc.nat(36 ** 6 - 1),
      node: fc.stringMatching(/^[a-z0-9]{1,8}$/),
    });
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        expect(parseHlc(formatHlc(a))).toEqual(a);
        const text = formatHlc(a) < formatHlc(b) ? -1 : formatHlc(a) > formatHlc(b) ? 1 : 0;
        expect(Math.sign(compareHlc(a, b))).toBe(text);
      }),
    );
    expect(parseHlc('12-3-x')).toBeNull();
  });

  it('refuses a remote clock a day ahead and resumes after a persisted stamp', () => {
    const clock = new HybridClock('hub', () => 1_000);
    expect(() => clock.receive({ wall: 1_000 + 25 * 3600_000, counter: 0, node: 'v1' })).toThrow(RangeError);
    const restarted = new HybridClock('hub', () => 500);
    restarted.restore({ wall: 2_000, counter: 7, node: 'hub' });
    expect(restarted.now()).toEqual({ wall: 2_000, counter: 8, node: 'hub' });
  });
});
