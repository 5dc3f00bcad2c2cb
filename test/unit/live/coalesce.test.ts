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
      (key, value) => void sent.push([key, value, Date.now()]),
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
      (k, v) => void sent.push([k, v, 0]),
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
      (k, v) => void sent.push([k, v, Date.now()]),
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

describe('LeadingEdgeCoalescer with a send that takes time (back-pressure)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A send that settles when the test says so, recording what was sent and when. */
  function slowSends() {
    const sent: Array<{ value: number[]; at: number; done: () => void }> = [];
    const coalescer = new LeadingEdgeCoalescer<number[]>(
      100,
      (acc, next) => [...acc, ...next],
      (_key, value) =>
        new Promise<void>((resolve) => {
          sent.push({ value, at: Date.now(), done: resolve });
        }),
    );
    return { sent, coalescer };
  }

  it('holds the next push while the last send is still writing and merges everything that came in meanwhile', async () => {
    const { sent, coalescer } = slowSends();
    const start = Date.now();
    coalescer.push('board', [1]);
    // A write that takes 350 ms (3.5 windows) while 30 changes arrive.
    for (let i = 2; i <= 31; i++) {
      vi.advanceTimersByTime(10);
      coalescer.push('board', [i]);
    }
    vi.advanceTimersByTime(50);
    // Windows closed at 100, 200 and 300 ms, but the first send has not settled: still one send.
    expect(sent.map((s) => s.value)).toEqual([[1]]);
    sent[0]?.done();
    await vi.advanceTimersByTimeAsync(0);
    // The moment it settles, ONE send carries all 30 changes (not three queued window deltas).
    expect(sent.map((s) => s.value)).toEqual([[1], Array.from({ length: 30 }, (_, i) => i + 2)]);
    expect(sent[1]?.at).toBe(start + 350);
    // That send opened a new window: a change now waits for it and for the send to settle.
    coalescer.push('board', [32]);
    sent[1]?.done();
    await vi.advanceTimersByTimeAsync(99);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.value).at(-1)).toEqual([32]);
    expect(sent.at(-1)?.at).toBe(start + 450);
  });

  it('sends at the end of the window as before when the write finished inside it, and goes idle after', async () => {
    const { sent, coalescer } = slowSends();
    const start = Date.now();
    coalescer.push('board', [1]);
    vi.advanceTimersByTime(20);
    sent[0]?.done();
    coalescer.push('board', [2]);
    await vi.advanceTimersByTimeAsync(80);
    expect(sent.map((s) => [s.value, s.at - start])).toEqual([
      [[1], 0],
      [[2], 100],
    ]);
    sent[1]?.done();
    await vi.advanceTimersByTimeAsync(200);
    coalescer.push('board', [3]);
    expect(sent.at(-1)?.value).toEqual([3]);
    expect(sent.at(-1)?.at).toBe(start + 300);
  });

  it('with a zero window, sends one value at a time and merges what arrives during a send', async () => {
    const sent: number[][] = [];
    const resolvers: Array<() => void> = [];
    const direct = new LeadingEdgeCoalescer<number[]>(
      0,
      (a, b) => [...a, ...b],
      (_k, v) =>
        new Promise<void>((resolve) => {
          sent.push(v);
          resolvers.push(resolve);
        }),
    );
    direct.push('a', [1]);
    direct.push('a', [2]);
    direct.push('a', [3]);
    expect(sent).toEqual([[1]]);
    resolvers[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([[1], [2, 3]]);
    resolvers[1]?.();
    await vi.advanceTimersByTimeAsync(0);
    direct.push('a', [4]);
    expect(sent).toEqual([[1], [2, 3], [4]]);
  });

  it('discard lets the next value go out at once even while a send is still writing', () => {
    const { sent, coalescer } = slowSends();
    coalescer.push('board', [1]);
    coalescer.push('board', [2]);
    coalescer.discard('board');
    coalescer.push('board', [3]);
    expect(sent.map((s) => s.value)).toEqual([[1], [3]]);
  });
});
