import { describe, expect, it } from 'vitest';
import { emptySheet, type Sheet } from '../../../shared/model.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { applyToSheet, type SheetCommand } from '../../../server/domain/sheetOps.ts';
import { fixture, judge, organiser, target } from './fixture.ts';

const setup = fixture();
const event = setup.events[0]!;
const ctx = { setup, event, assignedJudgeIds: ['j1', 'j2', 'j3'] };

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof PodiumError) return err.code;
    throw err;
  }
}

const submit = (marks: Record<string, string>): SheetCommand => ({
  name: 'marks.submit',
  payload: { ...target, marks },
});

describe('applyToSheet', () => {
  it("replaces a judge's marks for the criteria given and keeps their other criteria", () => {
    const one = applyToSheet(ctx, emptySheet(), submit({ a: '7.5', b: '3.3' }), judge('j2'));
    const two = applyToSheet(ctx, one, submit({ a: '8' }), judge('j2'));
    expect(two.marks).toEqual({ j2: { a: '8', b: '3.3' } });
    expect(one.marks).toEqual({ j2: { a: '7.5', b: '3.3' } });
  });

  it('checks marks exactly against min, max and step (no float error on 0.1 steps)', () => {
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ b: '1.3' }), judge('j2')))).toBe('ok');
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ b: '1.35' }), judge('j2')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ b: '0.9' }), judge('j2')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ a: '10.5' }), judge('j2')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ a: '7.25' }), judge('j2')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ m: '5' }), judge('j2')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ zz: '5' }), judge('j2')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ a: '5' }), judge('wj')))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), submit({ a: '5' }), organiser))).toBe('forbidden');
  });

  it('enters measured values only for measured criteria', () => {
    const measured = (criterionId: string, value: string): SheetCommand => ({
      name: 'measured.enter',
      payload: { ...target, criterionId, value },
    });
    expect(applyToSheet(ctx, emptySheet(), measured('m', '12.75'), organiser).measured).toEqual({
      m: '12.75',
    });
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), measured('m', '12.3'), organiser))).toBe(
      'invalid_payload',
    );
    expect(codeOf(() => applyToSheet(ctx, emptySheet(), measured('a', '5'), organiser))).toBe(
      'invalid_payload',
    );
  });

  it('corrects or voids one judge mark, dropping the judge when nothing is left', () => {
    const sheet: Sheet = { ...emptySheet(), marks: { j2: { a: '7' }, j3: { a: '6', b: '2' } } };
    const correct = (judgeId: string, criterionId: string, value: string | null): SheetCommand => ({
      name: 'mark.correct',
      payload: { ...target, judgeId, criterionId, value, reason: 'review' },
    });
    expect(applyToSheet(ctx, sheet, correct('j3', 'a', '9.5'), organiser).marks.j3).toEqual({
      a: '9.5',
      b: '2',
    });
    expect(applyToSheet(ctx, sheet, correct('j2', 'a', null), organiser).marks).toEqual({
      j3: { a: '6', b: '2' },
    });
    expect(codeOf(() => applyToSheet(ctx, sheet, correct('wj', 'a', '1'), organiser))).toBe(
      'invalid_payload',
    );
  });

  it('adds and removes deductions by id, refusing duplicates, negatives and unknown ids', () => {
    const add = (id: string, points: string): SheetCommand => ({
      name: 'deduction.add',
      payload: { ...target, deduction: { id, points, reason: 'late' } },
    });
    const once = applyToSheet(ctx, emptySheet(), add('d1', '1.5'), organiser);
    expect(once.deductions).toEqual([{ id: 'd1', points: '1.5', reason: 'late' }]);
    expect(codeOf(() => applyToSheet(ctx, once, add('d1', '2'), organiser))).toBe('invalid_payload');
    expect(codeOf(() => applyToSheet(ctx, once, add('d2', '-2'), organiser))).toBe('invalid_payload');
    const remove = (deductionId: string): SheetCommand => ({
      name: 'deduction.remove',
      payload: { ...target, deductionId, reason: 'appeal' },
    });
    expect(applyToSheet(ctx, once, remove('d1'), organiser).deductions).toEqual([]);
    expect(codeOf(() => applyToSheet(ctx, once, remove('nope'), organiser))).toBe('not_found');
  });

  it('sets outcome, finish time and lock', () => {
    let sheet = applyToSheet(
      ctx,
      emptySheet(),
      { name: 'outcome.set', payload: { ...target, outcome: 'dnf' } },
      organiser,
    );
    sheet = applyToSheet(
      ctx,
      sheet,
      { name: 'finish.set', payload: { ...target, finishedAt: 1234 } },
      organiser,
    );
    sheet = applyToSheet(ctx, sheet, { name: 'sheet.lock', payload: { ...target, locked: true } }, organiser);
    expect(sheet).toMatchObject({ outcome: 'dnf', finishedAt: 1234, locked: true });
  });
});
