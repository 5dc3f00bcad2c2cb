/**
 * Rank keys: one ASCII string per contestant such that plain byte order (Redis ZRANGEBYLEX, JS
 * `<` on these strings) is ranking order — smaller is better, equal means tied. The key holds
 * only digits and the letters a-d, so it never starts with a ZRANGEBYLEX range character.
 *
 * Layout, each part self-delimiting so parts can simply be concatenated:
 *   outcome   'a' ok, 'b' dnf, 'c' dns, 'd' dsq. Non-ok rows stop here: all dnf are tied, etc.
 *   total     descending number (below); ascending when rule.better is 'lower'
 *   tie-break one number per rule.tieBreak.criteria entry, in the same direction (null ranks worst)
 *   finish    only when rule.tieBreak.earlierFinish: ascending ms since epoch (missing worst)
 *
 * A number is scaled by 10^6 to an integer N (the model allows at most 6 decimals; more is a
 * RangeError, never a silent truncation) whose digits, without leading zeros, have length L ≤ 99:
 *   descending, value ≥ 0:  '1' + (99 − L as 2 digits) + each digit d replaced by 9 − d
 *   descending, value < 0:  '2' + (L as 2 digits) + digits
 *   ascending, value < 0:   '1' + (99 − L as 2 digits) + each digit d replaced by 9 − d
 *   ascending, value ≥ 0:   '2' + (L as 2 digits) + digits
 *   ascending (times):      '1' + (L as 2 digits) + digits
 *   null / missing:         '3'
 * Longer numbers are bigger, and equal lengths compare digit by digit, so any size is exact.
 */
import { parse, type Decimal } from '../decimal.ts';
import type { Outcome, ScoringRule } from '../model.ts';
import type { RankInput } from './types.ts';

const OUTCOME_CLASS: Record<Outcome, string> = { ok: 'a', dnf: 'b', dns: 'c', dsq: 'd' };
const SCALE = 1_000_000;
const MAX_DIGITS = 99;
const MISSING = '3';

/** The exact sortable rank key of one contestant; it never contains the id, so ties share a key. */
export function rankKey(rule: ScoringRule, input: RankInput): string {
  const outcome = OUTCOME_CLASS[input.outcome];
  if (input.outcome !== 'ok') return outcome;
  // Older stored set-ups have no `better`: absent means higher wins, as it always did.
  const number = rule.better === 'lower' ? ascending : descending;
  const tieBreaks = rule.tieBreak.criteria.map((_, i) => number(input.tieBreak[i] ?? null));
  const finish = rule.tieBreak.earlierFinish ? ascendingTime(input.finishedAt) : '';
  return outcome + number(input.total) + tieBreaks.join('') + finish;
}

function ascending(value: string | null): string {
  if (value === null) return MISSING;
  const d = parse(value);
  const digits = scaledDigits(d.abs(), value);
  if (d.isNegative() && !d.isZero()) return `1${twoDigits(MAX_DIGITS - digits.length)}${complement(digits)}`;
  return `2${twoDigits(digits.length)}${digits}`;
}

function descending(value: string | null): string {
  if (value === null) return MISSING;
  const d = parse(value);
  const digits = scaledDigits(d.abs(), value);
  if (d.isNegative() && !d.isZero()) return `2${twoDigits(digits.length)}${digits}`;
  return `1${twoDigits(MAX_DIGITS - digits.length)}${complement(digits)}`;
}

function ascendingTime(ms: number | undefined): string {
  if (ms === undefined) return MISSING;
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`finishedAt must be a whole ms count: ${ms}`);
  const digits = String(ms);
  return `1${twoDigits(digits.length)}${digits}`;
}

function scaledDigits(abs: Decimal, original: string): string {
  const scaled = abs.times(SCALE);
  if (!scaled.isInteger()) throw new RangeError(`more than 6 decimals cannot be ranked: ${original}`);
  const digits = scaled.toFixed(0);
  if (digits.length > MAX_DIGITS) throw new RangeError(`number too large to rank: ${original}`);
  return digits;
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

function complement(digits: string): string {
  let out = '';
  for (const ch of digits) out += String(9 - Number(ch));
  return out;
}
