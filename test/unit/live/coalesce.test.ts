/**
 * The per-board throttle behind live pushes, on a fake clock: an idle board's first change goes out
 * at once (no window to wait for), a burst inside the window becomes one merged push at its end,
 * and boards do not hold each other up.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeadingEdgeCoalescer } from '../../../server/live/coalesce.ts';

describe('LeadingEdgeCoalescer', () => {
  let sent: Array<[string, number[], number]>;
  let coalescer: LeadingEdgeCoalescer<number[]>;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    coalescer = new LeadingEdgeCoalescer<number[]>(
      100,
      (acc, next) => [...acc, ...next],
      (key, value) => sent.push([key, value, Date.now()]),
    );
  });
  afterEach(() => vi.useRealTimers());

  it("sends an idle board's first change at once, then merges a burst into one push per window", () => {
    const start = Date.now();
    coalescer.push('board', [1]);
    expect(sent).toEqual([['board', [1], start]]);

    for (let i = 2; i <= 20; i++) {
      vi.advanceTimersByTime(4);
      coalescer.push('board', [i]);
    }
    // 19 more changes within 76 ms: nothing else left yet.
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(24);
    expect(sent).toEqual([
      ['board', [1], start],
      ['board', Array.from({ length: 19 }, (_, i) => i + 2), start + 100],
    ]);
    // Quiet for a window: the board is idle again and the next change is immediate.
    vi.advanceTimersByTime(200);
    coalescer.push('board', [21]);
    expect(sent.at(-1)).toEqual(['board', [21], start + 300]);
  });

  it('keeps boards independent', () => {
    coalescer.push('a', [1]);
    coalescer.push('a', [2]);
    coalescer.push('b', [3]);
    expect(sent.map(([key, value]) => [key, value])).toEqual([
      ['a', [1]],
      ['b', [3]],
    ]);
  });

  it('sends every change on its own with a zero window', () => {
    const direct = new LeadingEdgeCoalescer<number[]>(
      0,
      (a, b) => [...a, ...b],
      (k, v) => sent.push([k, v, 0]),
    );
    direct.push('a', [1]);
    direct.push('a', [2]);
    expect(sent.map(([, value]) => value)).toEqual([[1], [2]]);
  });
});
