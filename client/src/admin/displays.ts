/** Addresses of a competition's displays (big screen, spectator page, overlay, ceremony) with their settings. */
import { pageUrl } from '../lib/params.ts';

/** Per-display settings, carried in the big screen's address (see docs/API.md, "Display addresses"). */
export interface DisplaySettings {
  /** Text size in percent of the normal size (50-250). */
  scale: number;
  /** Rows per page (3-30). */
  rows: number;
  /** The secondary line (bib, organisation, category) under each name. */
  detail: boolean;
  /** A legend of the rank colours and tags. */
  legend: boolean;
  /** Rotate between the competition's events every N seconds (0: stay on one event). */
  rotate: number;
}

export const DEFAULT_DISPLAY: DisplaySettings = {
  scale: 100,
  rows: 10,
  detail: true,
  legend: false,
  rotate: 0,
};

export type DisplayKind = 'screen' | 'watch' | 'overlay' | 'ceremony';
export const DISPLAY_KINDS: readonly DisplayKind[] = ['screen', 'watch', 'overlay', 'ceremony'];

/**
 * The address of one display of an event round, from the public base URL. Only settings that
 * differ from the defaults are written, so the plain address stays short enough to type.
 */
export function displayUrl(
  base: string,
  kind: DisplayKind,
  target: { competitionId: string; eventId: string; roundId: string },
  settings: DisplaySettings = DEFAULT_DISPLAY,
): string {
  const { competitionId: c, eventId: e, roundId: r } = target;
  if (kind !== 'screen') return base + pageUrl(`/${kind}/`, { c, e, r });
  return (
    base +
    pageUrl('/screen/', {
      c,
      e,
      r,
      rows: settings.rows === DEFAULT_DISPLAY.rows ? null : settings.rows,
      scale: settings.scale === DEFAULT_DISPLAY.scale ? null : settings.scale,
      detail: settings.detail ? null : 0,
      legend: settings.legend ? 1 : null,
      rotate: settings.rotate > 0 ? settings.rotate : null,
    })
  );
}
