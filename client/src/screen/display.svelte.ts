/**
 * Per-display settings of a big screen: text size, rows per page, secondary line, colour legend,
 * rotation between events. They come from two places, the later winning:
 *   1. the page's address (set in the console's Displays panel):
 *      /screen/?…&scale=<50-250 %>&rows=<3-40>&detail=0&legend=1&rotate=<seconds>
 *   2. for a named screen (`&d=<name>`), the settings the organiser pushes live with `display.set`
 *      (PublicControl.displays), which apply at once, without reloading the page.
 */
import type { DisplaySettings } from '../../../shared/displays.ts';
import { intParam, param } from '../lib/params.ts';

export interface ScreenDisplay {
  /** Text size in percent. */
  scale: number;
  /** Rows per page, or null to choose by the board's size (paging.ts). */
  rows: number | null;
  /** Show the bib/organisation/category line under names. */
  detail: boolean;
  legend: boolean;
  /** Seconds between events; 0 stays on one event. */
  rotate: number;
}

/** The display settings in this page's address. */
export function readScreenDisplay(): ScreenDisplay {
  const rotate = intParam('rotate', 0, 0, 3_600);
  const rows = intParam('rows', 0, 3, 40);
  return {
    scale: intParam('scale', 100, 50, 250),
    rows: rows || null,
    detail: param('detail') !== '0',
    legend: param('legend') === '1',
    rotate: rotate > 0 ? Math.max(5, rotate) : 0,
  };
}

/** This screen's name (`d=`), under which the organiser pushes its settings; null when unnamed. */
export function screenName(): string | null {
  return param('d');
}

/** The settings in force: those pushed for this screen's name, else those of its address. */
export function effectiveDisplay(
  fromAddress: ScreenDisplay,
  pushed: DisplaySettings | undefined,
): ScreenDisplay {
  return pushed === undefined ? fromAddress : { ...pushed };
}

/**
 * Apply the settings that are pure styling to the document: the text size scales the root size the
 * screen derives from its own width (Screen.svelte), and the second line can be hidden.
 */
export function applyScreenDisplay(display: ScreenDisplay): void {
  document.documentElement.style.setProperty('--screen-scale', String(display.scale / 100));
  document.documentElement.classList.toggle('screen-no-detail', !display.detail);
}

/** Ticks every `seconds` (never when 0): the big screen shows the next event at each tick. */
export class EventRotation {
  step = $state(0);

  /** Tick every `seconds`; returns the stop function (an $effect cleanup, re-run when `seconds` changes). */
  start(seconds: number): () => void {
    if (seconds <= 0) return () => {};
    const timer = setInterval(() => (this.step += 1), seconds * 1_000);
    return () => clearInterval(timer);
  }
}
