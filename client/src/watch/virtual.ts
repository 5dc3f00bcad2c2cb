/** Which rows of a fixed-row-height list are in view, for the spectator page's virtual list. */

/**
 * Rows [start, end) to render when the list's top is `scrolled` px above the viewport's top
 * (negative: the list starts lower down), the viewport is `height` px tall and every row takes
 * `row` px, with `overscan` extra rows either side.
 */
export function visibleRange(
  scrolled: number,
  height: number,
  row: number,
  overscan: number,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrolled) / row);
  const last = Math.ceil(Math.max(0, scrolled + height) / row);
  return { start: Math.max(0, first - overscan), end: last + overscan };
}
