/**
 * Reading a rank key back (the inverse of shared/scoring/rankKey.ts): the total, the tie-break
 * values and the finishing time it encodes. Rank keys are public (every board row carries one),
 * so whatever this reads is already visible to whoever holds the row.
 */
import type { Outcome, ScoringRule } from '../model.ts';

export interface RankKeyParts {
  outcome: Outcome;
  /** Exact decimal texts without trailing zeros ("8.5"); null for a non-ok row. */
  total: string | null;
  /** One per rule.tieBreak.criteria entry; null = no score yet. */
  tieBreak: Array<string | null>;
  /** Only when rule.tieBreak.earlierFinish; null = no time. */
  finishedAt: number | null;
}

const OUTCOMES: Record<string, Outcome> = { a: 'ok', b: 'dnf', c: 'dns', d: 'dsq' };
const SCALE_DIGITS = 6;

/** Decode a key made by rankKey(rule, …); throws RangeError on a key this rule could not have made. */
export function rankKeyParts(rule: ScoringRule, key: string): RankKeyParts {
  const outcome = OUTCOMES[key[0] ?? ''];
  if (outcome === undefined) throw new RangeError(`not a rank key: ${key}`);
  if (outcome !== 'ok') return { outcome, total: null, tieBreak: [], finishedAt: null };
  const ascending = rule.better === 'lower';
  let at = 1;
  const readNumber = (): string | null => {
    const [value, next] = readScaled(key, at, ascending);
    at = next;
    return value;
  };
  const total = readNumber();
  const tieBreak = rule.tieBreak.criteria.map(() => readNumber());
  let finishedAt: number | null = null;
  if (rule.tieBreak.earlierFinish) {
    if (key[at] === '3') at += 1;
    else {
      const length = Number(key.slice(at + 1, at + 3));
      finishedAt = Number(key.slice(at + 3, at + 3 + length));
      at += 3 + length;
    }
  }
  if (at !== key.length) throw new RangeError(`rank key has unread characters: ${key}`);
  return { outcome, total, tieBreak, finishedAt };
}

/** The key's tie-break part (everything after the total): equal totals are ordered by it. */
export function tieBreakTail(rule: ScoringRule, key: string): string {
  if (key[0] !== 'a') return '';
  const [, next] = readScaled(key, 1, rule.better === 'lower');
  return key.slice(next);
}

function readScaled(key: string, at: number, ascending: boolean): [string | null, number] {
  const head = key[at];
  if (head === '3') return [null, at + 1];
  const lengthText = key.slice(at + 1, at + 3);
  // Which heads complement their digits: descending non-negatives ('1') and ascending negatives ('1').
  const complemented = head === '1';
  const negative = ascending ? head === '1' : head === '2';
  const length = complemented ? 99 - Number(lengthText) : Number(lengthText);
  const raw = key.slice(at + 3, at + 3 + length);
  if ((head !== '1' && head !== '2') || raw.length !== length) throw new RangeError(`bad rank key: ${key}`);
  const digits = complemented ? [...raw].map((d) => String(9 - Number(d))).join('') : raw;
  return [scaledText(digits, negative), at + 3 + length];
}

/** "8500000" scaled by 10^6 → "8.5"; keeps the text exact (no float). */
function scaledText(digits: string, negative: boolean): string {
  const padded = digits.padStart(SCALE_DIGITS + 1, '0');
  const whole = padded.slice(0, -SCALE_DIGITS).replace(/^0+(?=\d)/, '');
  const fractionPart = padded.slice(-SCALE_DIGITS).replace(/0+$/, '');
  const text = fractionPart === '' ? whole : `${whole}.${fractionPart}`;
  return negative && text !== '0' ? `-${text}` : text;
}
