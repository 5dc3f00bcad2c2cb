/**
 * The judge's number entry: full-width digits and decimal commas from Chinese input methods are
 * read as numbers (regression: "１０" and "8,5" were refused as "enter a number"), and the next
 * contestant after a submit is the next one still to mark in start order.
 */
import { describe, expect, it } from 'vitest';
import type { JudgeSheetLine } from '../../../shared/events.ts';
import { validPoints } from '../../../client/src/judge/chief.ts';
import {
  canonicalMark,
  formatMark,
  markProblem,
  normalizeNumber,
  stepMark,
} from '../../../client/src/judge/marks.ts';
import { nextToMark, startOrder } from '../../../client/src/judge/order.ts';

const criterion = { min: 0, max: 10, step: 0.5 };

describe('typed numbers', () => {
  it('reads full-width digits, full-width and comma decimals, and ideographic full stops', () => {
    expect(normalizeNumber('１０')).toBe('10');
    expect(normalizeNumber(' ８．５ ')).toBe('8.5');
    expect(normalizeNumber('8,5')).toBe('8.5');
    expect(normalizeNumber('８，５')).toBe('8.5');
    expect(normalizeNumber('8。5')).toBe('8.5');
  });

  it('accepts them as marks and sends them canonical', () => {
    expect(markProblem(criterion, '１０')).toBeNull();
    expect(markProblem(criterion, '8,5')).toBeNull();
    expect(markProblem(criterion, '１１')).toBe('above_max');
    expect(markProblem(criterion, '8,3')).toBe('off_step');
    expect(markProblem(criterion, 'abc')).toBe('not_number');
    expect(markProblem(criterion, '8,5,1')).toBe('not_number');
    expect(canonicalMark('８，５０')).toBe('8.5');
    expect(formatMark(criterion, '９')).toBe('9.0');
    expect(stepMark(criterion, '８，５', 1)).toBe('9.0');
    expect(validPoints('１,５')).toBe(true);
    expect(validPoints('０')).toBe(false);
  });
});

describe('the next contestant after a submit', () => {
  const line = (contestantId: string): JudgeSheetLine => ({
    eventId: 'e',
    roundId: 'r',
    contestantId,
    status: 'waiting',
    myMarks: {},
    locked: false,
    others: null,
  });
  const bibs: Record<string, string> = { a: 'A10', b: 'A2', c: 'A1', d: 'A3' };
  const ordered = startOrder([line('a'), line('b'), line('c'), line('d')], (l) => bibs[l.contestantId] ?? '');

  it('orders by bib with numbers compared as numbers', () => {
    expect(ordered.map((l) => bibs[l.contestantId])).toEqual(['A1', 'A2', 'A3', 'A10']);
  });

  it('is the first one still to mark after it, wrapping round, never itself', () => {
    const toMark = (ids: string[]) => (l: JudgeSheetLine) => ids.includes(l.contestantId);
    expect(nextToMark(ordered, 'b', toMark(['c', 'a']))).toBe('a');
    expect(nextToMark(ordered, 'a', toMark(['b', 'd']))).toBe('b');
    expect(nextToMark(ordered, 'd', toMark(['d']))).toBeNull();
    expect(nextToMark(ordered, 'gone', toMark(['d']))).toBe('d');
  });
});
