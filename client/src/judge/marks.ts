/** Exact mark arithmetic for the entry pad: min/max/step checks and ± steps, never with floats. */
import { canonical, parse, type Decimal } from '../../../shared/decimal.ts';
import type { Criterion } from '../../../shared/model.ts';

export type MarkProblem = 'not_number' | 'below_min' | 'above_max' | 'off_step';

/**
 * A typed number as the parser reads it: full-width digits and signs from Chinese input methods
 * ("１０", "８．５") become ASCII (Unicode NFKC), a decimal comma ("8,5") or an ideographic full
 * stop ("8。5") becomes a dot, and surrounding spaces go.
 */
export function normalizeNumber(text: string): string {
  return text.normalize('NFKC').replace(/[,。]/g, '.').trim();
}

/** Parse a typed mark after normalizeNumber; throws RangeError when it is not a number. */
export function parseMark(text: string): Decimal {
  return parse(normalizeNumber(text));
}

/** Decimals shown for a criterion: as many as its min and step need (step 0.25 → 2). */
export function decimalsOf(criterion: Pick<Criterion, 'min' | 'step'>): number {
  return Math.max(parse(criterion.step).decimalPlaces(), parse(criterion.min).decimalPlaces());
}

/** Why a typed mark is not acceptable for the criterion, or null when it is. */
export function markProblem(
  criterion: Pick<Criterion, 'min' | 'max' | 'step'>,
  text: string,
): MarkProblem | null {
  let value: Decimal;
  try {
    value = parseMark(text);
  } catch {
    return 'not_number';
  }
  const min = parse(criterion.min);
  if (value.lessThan(min)) return 'below_min';
  if (value.greaterThan(parse(criterion.max))) return 'above_max';
  if (!value.minus(min).mod(parse(criterion.step)).isZero()) return 'off_step';
  return null;
}

/**
 * The mark one step up (+1) or down (−1) from `current`, snapped onto the step grid and kept
 * within min..max. With no mark yet, + starts at min and − at max.
 */
export function stepMark(
  criterion: Pick<Criterion, 'min' | 'max' | 'step'>,
  current: string | undefined,
  direction: 1 | -1,
): string {
  const min = parse(criterion.min);
  const step = parse(criterion.step);
  // The highest mark on the grid, which may be below max when max is not a whole number of steps.
  const top = min.plus(parse(criterion.max).minus(min).div(step).floor().times(step));
  if (current === undefined || markProblem(criterion, current) === 'not_number') {
    return format(direction > 0 ? min : top, criterion);
  }
  const value = parseMark(current);
  // Index on the grid: snapped down for +, up for −, so an off-grid value moves to its neighbour.
  const offset = value.minus(min).div(step);
  const index = direction > 0 ? offset.floor().plus(1) : offset.ceil().minus(1);
  const next = min.plus(index.times(step));
  return format(next.lessThan(min) ? min : next.greaterThan(top) ? top : next, criterion);
}

/** Print a mark with the criterion's decimals ("8.50" for step 0.25). */
export function formatMark(criterion: Pick<Criterion, 'min' | 'step'>, text: string): string {
  try {
    return format(parseMark(text), criterion);
  } catch {
    return text;
  }
}

/** The canonical text sent to the server ("8.5", never "8.50" or "8.500000"). */
export function canonicalMark(text: string): string {
  return canonical(parseMark(text));
}

function format(value: Decimal, criterion: Pick<Criterion, 'min' | 'step'>): string {
  return value.toFixed(decimalsOf(criterion));
}
