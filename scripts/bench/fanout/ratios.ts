/** Podium's measurements relative to a baseline's, in the same run. */
import { round2 } from '../lib/histogram.ts';
import type { FanoutResult } from './run.ts';

export interface Ratios {
  /** Podium CPU per viewer-mark delivery ÷ baseline's (below 1: Podium is cheaper). */
  cpuPerMarkDelivery: number | null;
  /** Podium CPU per delivered message ÷ baseline's. */
  cpuPerMessage: number | null;
  /** Podium bytes/s ÷ baseline's (below 1: Podium sends less). */
  bytesPerS: number | null;
  /** Podium bytes per viewer-mark delivery ÷ baseline's (below 1: Podium sends less per update). */
  bytesPerMarkDelivery: number | null;
  /** Podium p99 ÷ baseline's. */
  p99: number | null;
  /** Podium RSS growth per connected viewer ÷ baseline's. */
  memoryPerViewer: number | null;
}

/** Ratios of `podium` to `base`; null where either side has no number. */
export function ratios(podium: FanoutResult, base: FanoutResult): Ratios {
  const r = (a: number | null, b: number | null): number | null =>
    a === null || b === null || b === 0 ? null : round2(a / b);
  return {
    cpuPerMarkDelivery: r(podium.server.cpuUsPerMarkDelivery, base.server.cpuUsPerMarkDelivery),
    cpuPerMessage: r(podium.server.cpuUsPerMessage, base.server.cpuUsPerMessage),
    bytesPerS: r(podium.delivered.bytesPerS, base.delivered.bytesPerS),
    bytesPerMarkDelivery: r(podium.delivered.bytesPerMarkDelivery, base.delivered.bytesPerMarkDelivery),
    p99: r(podium.latencyMs.p99, base.latencyMs.p99),
    memoryPerViewer: r(podium.server.rssPerConnectionKB, base.server.rssPerConnectionKB),
  };
}
