/** Reference ranking of board rows, as the store's sorted sets order them. */
import { rankAt, type BoardRow, type RankedRow } from '../boards.ts';

/**
 * Sort rows by rank key, then id (so equal keys have a stable order), and give standard
 * competition ranks: equal keys share a rank and the next rank skips (1, 2, 2, 4). A dns/dnf/dsq
 * row (sorted after every ok row by its key) gets rank null: it has no placing.
 */
export function rankRows(rows: readonly BoardRow[]): RankedRow[] {
  const sorted = [...rows].sort(
    (a, b) => compareByteOrder(a.rankKey, b.rankKey) || compareByteOrder(a.id, b.id),
  );
  let rank = 0;
  return sorted.map((row, i) => {
    if (i === 0 || row.rankKey !== sorted[i - 1]?.rankKey) rank = i + 1;
    return { ...row, rank: rankAt(row, rank) };
  });
}

/**
 * Compare by Unicode code points, which is the UTF-8 byte order Redis uses. Plain `<` compares
 * UTF-16 code units and disagrees for characters beyond U+FFFF versus U+E000–U+FFFF.
 */
export function compareByteOrder(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const diff = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}
