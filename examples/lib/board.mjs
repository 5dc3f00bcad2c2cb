/**
 * Keeping a Podium board in sync, exactly as docs/API.md ("Keeping a board in sync") says. Plain
 * JavaScript, no dependencies: the example clients and the test suite use it as written.
 */

/**
 * Compare two strings by Unicode code points (= UTF-8 byte order, the order Podium's stores use).
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareCodePoints(a, b) {
  if (a === b) return 0;
  const x = Array.from(a, (ch) => ch.codePointAt(0) ?? 0);
  const y = Array.from(b, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = /** @type {number} */ (x[i]) - /** @type {number} */ (y[i]);
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

/**
 * What to do with a `board:delta` when holding `version`: 'stale' (ignore), 'apply', or 'gap'
 * (something was missed: subscribe again and replace everything with the new snapshot).
 * @param {number} version
 * @param {{ prev: number, version: number }} delta
 * @returns {'stale' | 'apply' | 'gap'}
 */
export function deltaDecision(version, delta) {
  if (delta.version <= version) return 'stale';
  return delta.prev > version ? 'gap' : 'apply';
}

/**
 * The rows held after a snapshot: id → row (the snapshot's `rank` values are correct now, but
 * they are recomputed after every delta anyway).
 * @param {{ rows: Array<{ id: string }> }} snapshot
 */
export function holdSnapshot(snapshot) {
  return new Map(snapshot.rows.map((row) => [row.id, { ...row }]));
}

/**
 * Apply a delta to the held rows: drop the ids in `removed`, replace or add each row by `id`.
 * @param {Map<string, { id: string }>} held
 * @param {{ rows: Array<{ id: string }>, removed: string[] }} delta
 */
export function applyDelta(held, delta) {
  for (const id of delta.removed) held.delete(id);
  for (const row of delta.rows) held.set(row.id, { ...row });
}

/**
 * Places of the held rows: sorted by `rankKey`, then `id` (both by code points); standard
 * competition ranking — equal rank keys share a place and the next place skips (1, 2, 2, 4);
 * a dns/dnf/dsq row has no place (null).
 * @template {{ id: string, rankKey: string, outcome: string }} R
 * @param {Iterable<R>} rows
 * @returns {Array<R & { position: number, place: number | null }>}
 */
export function placesOf(rows) {
  const sorted = [...rows].sort(
    (a, b) => compareCodePoints(a.rankKey, b.rankKey) || compareCodePoints(a.id, b.id),
  );
  /** @type {Array<R & { position: number, place: number | null }>} */
  const out = [];
  sorted.forEach((row, i) => {
    const previous = out[i - 1];
    const position = previous !== undefined && previous.rankKey === row.rankKey ? previous.position : i + 1;
    // dns/dnf/dsq rows sort after every ok row and have no place.
    out.push({ ...row, position, place: row.outcome === 'ok' ? position : null });
  });
  return out;
}

/**
 * The worst rank key whose place is exact, or null when every held place is exact: when the
 * snapshot held only the first rows of a larger board (`total > rows.length`), places are exact
 * only for rows whose rankKey is at most the snapshot's last row's rankKey.
 * @param {{ rows: Array<{ rankKey: string }>, total: number }} snapshot
 * @returns {string | null}
 */
export function exactThrough(snapshot) {
  const last = snapshot.rows[snapshot.rows.length - 1];
  return snapshot.total > snapshot.rows.length && last !== undefined ? last.rankKey : null;
}
