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

  it('reads a per-board window each time a window opens (the broadcaster adapts it to the fan-out cost)', () => {
    const windows = new Map([
      ['small', 10],
      ['large', 100],
    ]);
    const adaptive = new LeadingEdgeCoalescer<number[]>(
      (key) => windows.get(key) ?? 100,
      (a, b) => [...a, ...b],
      (k, v) => sent.push([k, v, Date.now()]),
    );
    const start = Date.now();
    for (const key of ['small', 'large']) adaptive.push(key, [1]);
    for (const key of ['small', 'large']) adaptive.push(key, [2]);
    vi.advanceTimersByTime(10);
    expect(sent.filter(([key]) => key === 'small').map(([, v, at]) => [v, at - start])).toEqual([
      [[1], 0],
      [[2], 10],
    ]);
    expect(sent.filter(([key]) => key === 'large')).toHaveLength(1);
    // The small board's audience grew: once idle, its next window is longer.
    vi.advanceTimersByTime(10);
    windows.set('small', 50);
    adaptive.push('small', [3]);
    adaptive.push('small', [4]);
    vi.advanceTimersByTime(49);
    expect(sent.filter(([key]) => key === 'small').map(([, v]) => v)).toEqual([[1], [2], [3]]);
    vi.advanceTimersByTime(1);
    expect(sent.filter(([key]) => key === 'small').at(-1)).toEqual(['small', [4], start + 70]);
    vi.advanceTimersByTime(30);
    expect(sent.filter(([key]) => key === 'large').at(-1)).toEqual(['large', [2], start + 100]);
  });
});
