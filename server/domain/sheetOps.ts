/**
 * Pure sheet changes: one function applies one sheet command to a sheet, after checking the
 * command against the event (criteria, mark bounds and steps, assigned judges). Authorisation
 * (who may send it, round open, locks) is policy.ts's job; this file only knows the sheet.
 */
import { parse } from '../../shared/decimal.ts';
import type { Command, CommandPayload } from '../../shared/commands.ts';
import { commandNamesOf, type CommandNameOf } from '../../shared/commandRegistry.ts';
import type { Competition, ContestEvent, Criterion, Sheet } from '../../shared/model.ts';
import type { Actor } from './actor.ts';
import { PodiumError } from './errors.ts';
import { applyOfficial, linkCorrection } from './officialOps.ts';
import { own } from '../../shared/records.ts';

/** The commands that write a sheet (family 'sheet' in shared/commandRegistry.ts). */
export const sheetCommandNames = commandNamesOf('sheet');
export type SheetCommandName = CommandNameOf<'sheet'>;
export type SheetCommand = {
  [N in SheetCommandName]: { name: N; payload: CommandPayload<N> };
}[SheetCommandName];

/** True when a command name writes a sheet. */
export function isSheetCommandName(name: string): name is SheetCommandName {
  return (sheetCommandNames as readonly string[]).includes(name);
}

/** True when a command writes a sheet. */
export function isSheetCommand(command: Command): command is SheetCommand {
  return isSheetCommandName(command.name);
}

export interface SheetContext {
  setup: Competition;
  event: ContestEvent;
  /** Ids of the judges assigned to the event (every one of them marks judged criteria). */
  assignedJudgeIds: readonly string[];
}

function invalid(message: string): PodiumError {
  return new PodiumError('invalid_payload', message);
}

function criterionOf(event: ContestEvent, criterionId: string, kind: Criterion['kind']): Criterion {
  const criterion = event.criteria.find((c) => c.id === criterionId);
  if (criterion === undefined) throw invalid(`criterion ${criterionId} does not exist in event ${event.id}`);
  if (criterion.kind !== kind) throw invalid(`criterion ${criterionId} is ${criterion.kind}, not ${kind}`);
  return criterion;
}

/** Throws unless `value` lies within [min, max] and is a whole number of steps above min (exactly). */
export function assertValidMark(criterion: Criterion, value: string): void {
  const mark = parse(value);
  const min = parse(criterion.min);
  if (mark.lessThan(min) || mark.greaterThan(parse(criterion.max))) {
    throw invalid(`mark ${value} for ${criterion.id} must be between ${criterion.min} and ${criterion.max}`);
  }
  if (!mark.minus(min).mod(parse(criterion.step)).isZero()) {
    throw invalid(
      `mark ${value} for ${criterion.id} must be a multiple of ${criterion.step} above ${criterion.min}`,
    );
  }
}

function assertAssigned(ctx: SheetContext, judgeId: string): void {
  if (!ctx.assignedJudgeIds.includes(judgeId)) {
    throw invalid(`judge ${judgeId} is not assigned to event ${ctx.event.id}`);
  }
}

/** A copy deep enough that changing the copy never changes the original. */
function cloneSheet(sheet: Sheet): Sheet {
  const copy: Sheet = {
    marks: Object.fromEntries(Object.entries(sheet.marks).map(([j, m]) => [j, { ...m }])),
    measured: { ...sheet.measured },
    deductions: sheet.deductions.map((d) => ({ ...d })),
    outcome: sheet.outcome,
    locked: sheet.locked,
  };
  if (sheet.finishedAt !== undefined) copy.finishedAt = sheet.finishedAt;
  if (sheet.signed !== undefined) copy.signed = { ...sheet.signed };
  if (sheet.appeals !== undefined) copy.appeals = sheet.appeals.map((a) => ({ ...a }));
  return copy;
}

/**
 * The sheet after `command`, validated against the event; the input sheet is left untouched. A
 * correction naming an `appealId` is counted on that (upheld) appeal.
 */
export function applyToSheet(ctx: SheetContext, sheet: Sheet, command: SheetCommand, actor: Actor): Sheet {
  if (command.name === 'sheet.sign' || command.name === 'appeal.file' || command.name === 'appeal.decide') {
    return applyOfficial(ctx.setup, ctx.event, cloneSheet(sheet), command, actor);
  }
  const next = applyCorrection(ctx, sheet, command, actor);
  const appealId = 'appealId' in command.payload ? command.payload.appealId : undefined;
  return appealId === undefined ? next : linkCorrection(next, appealId);
}

function applyCorrection(
  ctx: SheetContext,
  sheet: Sheet,
  command: Exclude<SheetCommand, { name: 'sheet.sign' | 'appeal.file' | 'appeal.decide' }>,
  actor: Actor,
): Sheet {
  const next = cloneSheet(sheet);
  switch (command.name) {
    case 'marks.submit': {
      if (actor.kind !== 'judge') throw new PodiumError('forbidden', 'only a judge submits marks');
      assertAssigned(ctx, actor.judgeId);
      for (const [criterionId, value] of Object.entries(command.payload.marks)) {
        assertValidMark(criterionOf(ctx.event, criterionId, 'judged'), value);
      }
      next.marks[actor.judgeId] = { ...(own(next.marks, actor.judgeId) ?? {}), ...command.payload.marks };
      return next;
    }
    case 'measured.enter': {
      const { criterionId, value } = command.payload;
      assertValidMark(criterionOf(ctx.event, criterionId, 'measured'), value);
      next.measured[criterionId] = value;
      return next;
    }
    case 'deduction.add': {
      const { deduction } = command.payload;
      if (parse(deduction.points).isNegative()) throw invalid('deduction points must not be negative');
      if (next.deductions.some((d) => d.id === deduction.id)) {
        throw invalid(`deduction ${deduction.id} already exists on this sheet`);
      }
      next.deductions.push({ ...deduction });
      return next;
    }
    case 'deduction.remove': {
      const { deductionId } = command.payload;
      if (!next.deductions.some((d) => d.id === deductionId)) {
        throw new PodiumError('not_found', `deduction ${deductionId} is not on this sheet`);
      }
      next.deductions = next.deductions.filter((d) => d.id !== deductionId);
      return next;
    }
    case 'mark.correct': {
      const { judgeId, criterionId, value } = command.payload;
      assertAssigned(ctx, judgeId);
      const criterion = criterionOf(ctx.event, criterionId, 'judged');
      const marks = { ...(own(next.marks, judgeId) ?? {}) };
      if (value === null) delete marks[criterionId];
      else {
        assertValidMark(criterion, value);
        marks[criterionId] = value;
      }
      if (Object.keys(marks).length === 0) delete next.marks[judgeId];
      else next.marks[judgeId] = marks;
      return next;
    }
    case 'outcome.set':
      next.outcome = command.payload.outcome;
      return next;
    case 'finish.set':
      next.finishedAt = command.payload.finishedAt;
      return next;
    case 'sheet.lock':
      next.locked = command.payload.locked;
      return next;
  }
}
