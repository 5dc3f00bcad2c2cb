/** The judge's worklist in start order, and which contestant comes next after a submit. */
import type { JudgeSheetLine } from '../../../shared/events.ts';

/** Lines in start order: by bib, numbers compared as numbers (A2 before A10). */
export function startOrder(
  lines: readonly JudgeSheetLine[],
  bibOf: (line: JudgeSheetLine) => string,
): JudgeSheetLine[] {
  return [...lines].sort((a, b) => bibOf(a).localeCompare(bibOf(b), undefined, { numeric: true }));
}

/**
 * The first contestant after `after` in start order that is still to mark, wrapping round to the
 * start of the list; null when nobody else is left to mark.
 */
export function nextToMark(
  ordered: readonly JudgeSheetLine[],
  after: string,
  toMark: (line: JudgeSheetLine) => boolean,
): string | null {
  const at = ordered.findIndex((l) => l.contestantId === after);
  const rest = at < 0 ? ordered : [...ordered.slice(at + 1), ...ordered.slice(0, at)];
  return rest.find((l) => l.contestantId !== after && toMark(l))?.contestantId ?? null;
}
