/**
 * Spectator search over a 1,000-row board: every contestant's searchable text (bib, name,
 * organisation) folded once per set-up (NFKC, lower case — full-width "Ａ０１" finds "A01"), so a
 * keystroke is one substring test per row.
 */
import type { Contestant } from '../../../shared/model.ts';

/** Fold text for searching: NFKC (full-width forms, compatibility characters), lower case, trimmed. */
export function foldSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}

/** Contestant id → folded "bib name organisation". */
export function searchKeys(contestants: Iterable<Contestant>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const c of contestants) keys.set(c.id, foldSearch(`${c.bib}\n${c.name}\n${c.organisation}`));
  return keys;
}
