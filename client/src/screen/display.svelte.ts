/**
 * Per-display settings of a big screen, read from its address (set in the console's Displays
 * panel): text size, secondary line, colour legend, rotation between events.
 * /screen/?…&scale=<50-250 %>&detail=0&legend=1&rotate=<seconds>
 */
import { intParam, param } from '../lib/params.ts';

export interface ScreenDisplay {
  /** Text size in percent. */
  scale: number;
  /** Show the bib/organisation/category line under names. */
  detail: boolean;
  legend: boolean;
  /** Seconds between events; 0 stays on one event. */
  rotate: number;
}

/** The display settings in this page's address. */
export function readScreenDisplay(): ScreenDisplay {
  const rotate = intParam('rotate', 0, 0, 3_600);
  return {
    scale: intParam('scale', 100, 50, 250),
    detail: param('detail') !== '0',
    legend: param('legend') === '1',
    rotate: rotate > 0 ? Math.max(5, rotate) : 0,
  };
}

/** Apply the settings that are pure styling to the document (root text size, no second line). */
export function applyScreenDisplay(display: ScreenDisplay): void {
  document.documentElement.style.fontSize = `${display.scale}%`;
  document.documentElement.classList.toggle('screen-no-detail', !display.detail);
}

/** Ticks every `seconds` (never when 0): the big screen shows the next event at each tick. */
export class EventRotation {
  step = $state(0);

  constructor(readonly seconds: number) {}

  /** Start ticking; returns the stop function (an $effect cleanup). */
  start(): () => void {
    if (this.seconds <= 0) return () => {};
    const timer = setInterval(() => (this.step += 1), this.seconds * 1_000);
    return () => clearInterval(timer);
  }
}
