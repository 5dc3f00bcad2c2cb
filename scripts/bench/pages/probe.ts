/**
 * What bench:pages measures inside Chromium: an init script that records long tasks
 * (PerformanceObserver 'longtask'), every animation frame's duration (requestAnimationFrame) and,
 * when asked, how many rows are moving (running animations or transitions of `transform`); and
 * the main thread's busy time from the DevTools protocol (Performance.getMetrics TaskDuration).
 */
import type { CDPSession, Page } from 'playwright-core';

/** The page-side recorder; runs before any page script (page.addInitScript). */
function recorder(options: { sampleMoves: boolean }): void {
  type Recorded = {
    longTasks: Array<[number, number]>;
    frames: Array<[number, number]>;
    moving: Array<[number, number]>;
    moveStarts: Array<[number, number]>;
  };
  const b: Recorded = { longTasks: [], frames: [], moving: [], moveStarts: [] };
  (window as unknown as { __bench: Recorded }).__bench = b;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  let last = 0;
  const frame = (t: number): void => {
    if (last > 0) b.frames.push([t, t - last]);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  if (!options.sampleMoves) return;
  // Every element.animate() that moves something (animate:flip and its replacements use it).
  const animate = Element.prototype.animate;
  Element.prototype.animate = function (this: Element, keyframes, opts) {
    const frames = Array.isArray(keyframes) ? keyframes : [];
    if (frames.some((k) => typeof k.transform === 'string' && k.transform !== 'none')) {
      b.moveStarts.push([performance.now(), 1]);
    }
    return animate.call(this, keyframes, opts);
  } as typeof Element.prototype.animate;
  setInterval(() => {
    const moving = new Set<unknown>();
    for (const a of document.getAnimations()) {
      const effect = a.effect as KeyframeEffect | null;
      if (effect === null || effect.target === null || a.playState !== 'running') continue;
      const transition = (a as Animation & { transitionProperty?: string }).transitionProperty;
      const moves =
        transition === 'transform' ||
        (transition === undefined &&
          effect.getKeyframes().some((k) => k.transform !== undefined && k.transform !== 'none'));
      if (moves) moving.add(effect.target);
    }
    b.moving.push([performance.now(), moving.size]);
  }, 100);
}

/** Install the recorder on a page before it loads. */
export async function installRecorder(page: Page, sampleMoves: boolean): Promise<void> {
  // tsx compiles named inner functions with esbuild's __name helper, which pages do not have.
  await page.addInitScript('window.__name = (f) => f;');
  await page.addInitScript(recorder, { sampleMoves });
}

/** The p-th percentile (0–100) of `values`, 0 when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Median of `values` (0 when empty). */
export const median = (values: number[]): number => percentile(values, 50);

const r1 = (x: number): number => Math.round(x * 10) / 10;

export interface WindowStats {
  seconds: number;
  busyPct: number;
  frames: number;
  frameP95Ms: number;
  frameMaxMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** Rows moving at once, sampled every 100 ms: the largest count and the median of non-zero samples. */
  movingRowsMax: number;
  movingRowsMedian: number;
  /** Row animations started per update (starts within 100 ms of each other count as one update). */
  animatedRowsPerUpdateMedian: number;
  animatedRowsPerUpdateMax: number;
  updatesWithAnimation: number;
}

/** Main-thread busy seconds so far (DevTools Performance domain, enabled on first use). */
async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** A measuring window: call stop() after the page has run for a while. */
export async function measureWindow(page: Page, cdp: CDPSession): Promise<() => Promise<WindowStats>> {
  // Wall-clock task time (timeTicks): a throttled CPU's pauses count as busy, as on a slow phone.
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const busy0 = await taskSeconds(cdp);
  const wall0 = Date.now();
  const from = await page.evaluate(() => performance.now());
  return async () => {
    const wall1 = Date.now();
    const busy1 = await taskSeconds(cdp);
    const b = await page.evaluate((since) => {
      const rec = (
        window as unknown as {
          __bench: { longTasks: number[][]; frames: number[][]; moving: number[][]; moveStarts: number[][] };
        }
      ).__bench;
      const pick = (xs: number[][]) => xs.filter((x) => (x[0] ?? 0) >= since).map((x) => x[1] ?? 0);
      const bursts: number[] = [];
      let lastAt = -1e9;
      for (const [at = 0] of rec.moveStarts.filter((x) => (x[0] ?? 0) >= since)) {
        if (at - lastAt > 100) bursts.push(0);
        bursts[bursts.length - 1] = (bursts[bursts.length - 1] ?? 0) + 1;
        lastAt = at;
      }
      return { longTasks: pick(rec.longTasks), frames: pick(rec.frames), moving: pick(rec.moving), bursts };
    }, from);
    const seconds = (wall1 - wall0) / 1000;
    const nonZero = b.moving.filter((n) => n > 0);
    return {
      seconds: r1(seconds),
      busyPct: Math.min(100, r1(((busy1 - busy0) / seconds) * 100)),
      frames: b.frames.length,
      frameP95Ms: r1(percentile(b.frames, 95)),
      frameMaxMs: r1(Math.max(0, ...b.frames)),
      longTasks: b.longTasks.length,
      longestTaskMs: r1(Math.max(0, ...b.longTasks)),
      movingRowsMax: Math.max(0, ...b.moving),
      movingRowsMedian: median(nonZero),
      animatedRowsPerUpdateMedian: median(b.bursts),
      animatedRowsPerUpdateMax: Math.max(0, ...b.bursts),
      updatesWithAnimation: b.bursts.length,
    };
  };
}

/** Longest task the page has had since it started loading. */
export async function longestTaskSinceLoad(page: Page): Promise<number> {
  return page.evaluate(() => {
    const rec = (window as unknown as { __bench: { longTasks: number[][] } }).__bench;
    return Math.round(Math.max(0, ...rec.longTasks.map((x) => x[1] ?? 0)));
  });
}

/**
 * Run `act` in the page and time it until the frame after the change has been produced (a
 * requestAnimationFrame, then a message after it), or `timeoutMs`; null on timeout.
 */
export async function timeToFrame(page: Page, act: string, timeoutMs: number): Promise<number | null> {
  return page.evaluate(
    async ({ act, timeoutMs }) => {
      const t0 = performance.now();
      // The action is code of the bench script itself, not data from the page.
      new Function(act)();
      const done = new Promise<number>((resolve) => {
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve(performance.now() - t0);
          ch.port2.postMessage(0);
        });
      });
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
      const ms = await Promise.race([done, timeout]);
      return ms === null ? null : Math.round(ms);
    },
    { act, timeoutMs },
  );
}
