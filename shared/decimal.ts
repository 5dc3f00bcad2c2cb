/**
 * Exact decimal arithmetic for scores, on decimal.js. Floats never touch a mark.
 *
 * Precision: the constructor keeps 1000 significant digits. Additions and multiplications of
 * values within the model's bounds (12 integer + 6 decimal digits, weights alike, a few
 * thousand judges, 50 criteria) stay far below that, so they are exact. Divisions are never
 * done in decimal: a quotient that may repeat (a mean of 3 marks) is kept as a `Fraction` and
 * only turned into digits by `roundHalfUp`, which uses exact integer division. So 0.3 × 26.5/3
 * is exactly 2.65 and rounds to 2.7 — a truncated 8.8333…3 would have given 2.6.
 */
import Decimal from 'decimal.js';

export type { Decimal };

const Exact = Decimal.clone({
  precision: 1000,
  rounding: Decimal.ROUND_HALF_UP,
  // Never switch to exponent notation when printing.
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/** An exact quotient num / den with a positive integer denominator. */
export interface Fraction {
  num: Decimal;
  den: bigint;
}

const DECIMAL_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export const ZERO: Decimal = new Exact(0);

// Decimals are immutable, and scoring parses the same few mark, weight and total texts over and
// over: parsed values are kept (up to PARSED_MAX of each kind, then the cache starts over).
const PARSED_MAX = 10_000;
const parsedTexts = new Map<string, Decimal>();
const parsedNumbers = new Map<number, Decimal>();

function remember<K>(cache: Map<K, Decimal>, key: K, value: Decimal): Decimal {
  if (cache.size >= PARSED_MAX) cache.clear();
  cache.set(key, value);
  return value;
}

/** Parse a decimal string ("8.35") or a finite number; throws RangeError on anything else. */
export function parse(value: string | number): Decimal {
  if (typeof value === 'number') {
    const known = parsedNumbers.get(value);
    if (known !== undefined) return known;
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    // String(n) is the shortest text that round-trips, so 0.1 becomes exactly 0.1.
    return remember(parsedNumbers, value, new Exact(String(value)));
  }
  const known = parsedTexts.get(value);
  if (known !== undefined) return known;
  if (!DECIMAL_TEXT.test(value.trim()))
    throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  return remember(parsedTexts, value, new Exact(value.trim()));
}

/** a + b, exact. */
export function add(a: Decimal, b: Decimal): Decimal {
  return a.plus(b);
}

/** a − b, exact. */
export function sub(a: Decimal, b: Decimal): Decimal {
  return a.minus(b);
}

/** a × b, exact. */
export function mul(a: Decimal, b: Decimal): Decimal {
  return a.times(b);
}

/** Σ values, exact; 0 for none. */
export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), ZERO);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const c = a.comparedTo(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** A whole value as a fraction (den 1). */
export function fraction(value: Decimal, den: bigint = 1n): Fraction {
  if (den <= 0n) throw new RangeError('denominator must be positive');
  return { num: value, den };
}

/** The exact quotient a / b (b ≠ 0), as a fraction. */
export function div(a: Decimal, b: Decimal): Fraction {
  if (b.isZero()) throw new RangeError('division by zero');
  // Scale both sides so that b becomes an integer, then move its sign to the numerator.
  const scale = powerOfTen(b.decimalPlaces());
  const den = b.times(scale);
  return { num: a.times(scale).times(den.isNegative() ? -1 : 1), den: BigInt(den.abs().toFixed(0)) };
}

/** a + b for fractions, exact. */
export function addFractions(a: Fraction, b: Fraction): Fraction {
  if (a.den === b.den) return { num: a.num.plus(b.num), den: a.den };
  const common = (a.den / gcd(a.den, b.den)) * b.den;
  return {
    num: a.num.times(toDecimal(common / a.den)).plus(b.num.times(toDecimal(common / b.den))),
    den: common,
  };
}

/** f × factor, exact. */
export function scaleFraction(f: Fraction, factor: Decimal): Fraction {
  return { num: f.num.times(factor), den: f.den };
}

/** True when f < 0. */
export function isNegative(f: Fraction): boolean {
  return f.num.isNegative() && !f.num.isZero();
}

/**
 * Round half-up (half away from zero) to `decimals` places, exactly, and print with exactly that
 * many decimals: 8.345 → "8.35", 90 → "90.00", -0.001 → "0.00".
 */
export function roundHalfUp(value: Decimal | Fraction, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`bad decimals: ${decimals}`);
  if (Decimal.isDecimal(value)) {
    // A whole value rounds directly: toFixed rounds half-up (Exact's mode) on the magnitude.
    const text = value.abs().toFixed(decimals);
    return value.isNegative() && /[1-9]/.test(text) ? `-${text}` : text;
  }
  const f = value;
  const shift = powerOfTen(decimals);
  const den = toDecimal(f.den);
  // q = floor(|num| × 10^d / den + 1/2) = floor((2·|num|·10^d + den) / (2·den)); divToInt is exact.
  const q = f.num.abs().times(shift).times(2).plus(den).divToInt(den.times(2));
  const text = q.div(shift).toFixed(decimals);
  return isNegative(f) && !q.isZero() ? `-${text}` : text;
}

/** The exact value as plain text without exponent or trailing zeros ("8.5", "0", "-3"). */
export function canonical(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

function toDecimal(n: bigint): Decimal {
  return n === 1n ? ONE : new Exact(n.toString());
}

const ONE: Decimal = new Exact(1);
const powersOfTen: Decimal[] = [];

/** 10^n for a whole n ≥ 0 (kept once computed). */
function powerOfTen(n: number): Decimal {
  return (powersOfTen[n] ??= new Exact(10).pow(n));
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
