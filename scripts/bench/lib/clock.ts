/**
 * The one clock every benchmark process uses: milliseconds since the epoch with sub-millisecond
 * resolution. performance.timeOrigin is the process start on the wall clock, so values taken in
 * different processes on one machine are comparable (unlike performance.now() alone).
 */
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds (fractional), comparable across processes on this machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
