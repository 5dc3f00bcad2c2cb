/** Addresses of a competition's displays (big screen, spectator page, overlay, ceremony) with their settings. */
import { DEFAULT_DISPLAY, type DisplaySettings } from '../../../shared/displays.ts';
import { pageUrl } from '../lib/params.ts';

/** Per-display settings: in the big screen's address, or pushed live to a named screen (`display.set`). */
export { DEFAULT_DISPLAY, type DisplaySettings } from '../../../shared/displays.ts';

export type DisplayKind = 'screen' | 'watch' | 'overlay' | 'ceremony';
export const DISPLAY_KINDS: readonly DisplayKind[] = ['screen', 'watch', 'overlay', 'ceremony'];

/**
 * The address of one display of an event round, from the public base URL. A named big screen
 * (`name`) carries only its name: its settings are pushed live. Otherwise only settings that differ
 * from the defaults are written, so the plain address stays short enough to type.
 */
export function displayUrl(
  base: string,
  kind: DisplayKind,
  target: { competitionId: string; eventId: string; roundId: string },
  settings: DisplaySettings = DEFAULT_DISPLAY,
  name: string | null = null,
): string {
  const { competitionId: c, eventId: e, roundId: r } = target;
  if (kind !== 'screen') return base + pageUrl(`/${kind}/`, { c, e, r });
  if (name !== null) return base + pageUrl('/screen/', { c, e, r, d: name });
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
