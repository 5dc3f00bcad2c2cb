/**
 * A deliberately naive BigInt reference for the scoring rules: every value is a rational p/q of
 * BigInts, decimals are read by hand. Tests compare the decimal.js implementation against it.
 */
import type { ContestEvent, Sheet } from '../../../shared/model.ts';

export interface Rational {
  p: bigint;
  q: bigint;
}

/** "8.35" → 835/100, by hand (no decimal library). */
export function rational(text: string): Rational {
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace(/^[-+]/, '').split('.');
  const p = BigInt(whole + frac) * (negative ? -1n : 1n);
  return { p, q: 10n ** BigInt(frac.length) };
}

export function plus(a: Rational, b: Rational): Rational {
  return { p: a.p * b.q + b.p * a.q, q: a.q * b.q };
}

export function times(a: Rational, b: Rational): Rational {
  return { p: a.p * b.p, q: a.q * b.q };
}

export function over(a: Rational, n: bigint): Rational {
  return { p: a.p, q: a.q * n };
}

export function less(a: Rational, b: Rational): boolean {
  return a.p * b.q < b.p * a.q;
}

/** Round half away from zero to `decimals` and print with exactly that many decimals. */
export function roundRef(r: Rational, decimals: number): string {
  const negative = r.p < 0n;
  const abs = negative ? -r.p : r.p;
  const scaled = (2n * abs * 10n ** BigInt(decimals) + r.q) / (2n * r.q);
  const digits = scaled.toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative && scaled !== 0n ? `-${text}` : text;
}

function sumRef(values: Rational[]): Rational {
  return values.reduce(plus, { p: 0n, q: 1n });
}

/** The aggregated score of one criterion's marks, or null for none. */
export function aggregateRef(kind: string, trim: number, marks: string[]): Rational | null {
  if (marks.length === 0) return null;
  const sorted = marks.map(rational).sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  const mean = (xs: Rational[]): Rational => over(sumRef(xs), BigInt(xs.length));
  if (kind === 'sum') return sumRef(sorted);
  if (kind === 'mean') return mean(sorted);
  if (kind === 'trimmed')
    return sorted.length < 2 * trim + 1 ? mean(sorted) : mean(sorted.slice(trim, -trim));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : mean([sorted[mid - 1]!, sorted[mid]!]);
}

/** Reference total and criteria scores of a sheet with outcome 'ok'. */
export function sheetRef(
  event: ContestEvent,
  judges: string[],
  sheet: Sheet,
): { total: string; criteria: Record<string, string | null> } {
  const agg = event.scoring.aggregation;
  const trim = agg.kind === 'trimmed' ? agg.trim : 0;
  let total: Rational = { p: 0n, q: 1n };
  const criteria: Record<string, string | null> = {};
  for (const c of event.criteria) {
    const marks =
      c.kind === 'measured'
        ? [sheet.measured[c.id]].filter((m) => m !== undefined)
        : judges.map((j) => sheet.marks[j]?.[c.id]).filter((m) => m !== undefined);
    const score =
      c.kind === 'measured'
        ? marks[0] === undefined
          ? null
          : rational(marks[0])
        : aggregateRef(agg.kind, trim, marks);
    criteria[c.id] = score === null ? null : roundRef(score, event.scoring.decimals);
    if (score !== null) total = plus(total, times(rational(c.weight), score));
  }
  for (const d of sheet.deductions) total = plus(total, times(rational(d.points), { p: -1n, q: 1n }));
  if (total.p < 0n) total = { p: 0n, q: 1n };
  return { total: roundRef(total, event.scoring.decimals), criteria };
}
