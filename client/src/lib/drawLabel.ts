/**
 * How a contestant is named on every page: by drawn number ("07号" / "No. 07") on an anonymised
 * event before its decode (the server sends no name then, docs/RULES.md §13, "Anonymised judging"), else by name.
 */
import type { PublicContestant } from '../../../shared/events.ts';
import { t } from './i18n.svelte.ts';

/** The contestant's name, or their drawn number while the event is anonymised; `fallback` when unknown. */
export function shownName(
  c: Pick<PublicContestant, 'name' | 'draw'> | null | undefined,
  fallback: string,
): string {
  if (c === undefined || c === null) return fallback;
  if (c.draw === undefined) return c.name;
  return c.draw === '' ? t('draw.none') : t('draw.number', { n: c.draw });
}

/** The bib beside a name: empty for a drawn number (the name already shows it). */
export function shownBib(c: Pick<PublicContestant, 'bib' | 'draw'> | null | undefined): string {
  return c === undefined || c === null || c.draw !== undefined ? '' : c.bib;
}
