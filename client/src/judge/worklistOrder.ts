/** Ordering and searching the judge's worklist: bib order computed once per set-up, bib/name matching. */
import type { Contestant } from '../../../shared/model.ts';

const collator = new Intl.Collator(undefined, { numeric: true });

/** Contestant id → position in bib order ("A2" before "A10"), for a cheap numeric sort on every push. */
export function bibOrder(contestants: ReadonlyMap<string, Contestant>): Map<string, number> {
  const ids = [...contestants.values()].sort((a, b) => collator.compare(a.bib, b.bib)).map((c) => c.id);
  return new Map(ids.map((id, i) => [id, i]));
}

/** Whether a worklist line matches what the judge typed: a bib prefix, or part of the name. */
export function matchesQuery(contestant: Contestant | undefined, id: string, query: string): boolean {
  const q = query.normalize('NFKC').trim().toLowerCase();
  if (q === '') return true;
  if (contestant === undefined) return id.toLowerCase().includes(q);
  return (
    contestant.bib.toLowerCase().startsWith(q) || contestant.name.normalize('NFKC').toLowerCase().includes(q)
  );
}
