/**
 * The chief judge's sheet commands as the tablet shows them: what the server holds (the line's
 * `chief` part) overlaid with what is still waiting in the outbox.
 */
import type { JudgeSheetLine, SheetSummary } from '../../../shared/events.ts';
import type { Deduction, Outcome } from '../../../shared/model.ts';
import { parseMark } from './marks.ts';
import type { OutboxItem, QueuedCommand } from './outbox.ts';

type ChiefCommand = Exclude<QueuedCommand, { name: 'marks.submit' }>;

/** A worklist line after the server accepted one chief command (before its sheet:update push). */
export function applyChiefCommand(
  line: JudgeSheetLine,
  command: ChiefCommand,
  sheet: SheetSummary | undefined,
): JudgeSheetLine {
  const chief = line.chief ?? { measured: {}, deductions: [] };
  switch (command.name) {
    case 'measured.enter': {
      const { criterionId, value } = command.payload;
      return { ...line, chief: { ...chief, measured: { ...chief.measured, [criterionId]: String(value) } } };
    }
    case 'deduction.add': {
      const d = command.payload.deduction;
      const added: Deduction = { id: d.id, points: String(d.points), reason: d.reason };
      const kept = chief.deductions.filter((x) => x.id !== added.id);
      return { ...line, chief: { ...chief, deductions: [...kept, added] } };
    }
    case 'deduction.remove': {
      const id = command.payload.deductionId;
      return { ...line, chief: { ...chief, deductions: chief.deductions.filter((x) => x.id !== id) } };
    }
    case 'outcome.set': {
      const outcome = sheet?.outcome ?? command.payload.outcome;
      if (outcome !== 'ok') return { ...line, status: outcome };
      const wasOut = line.status === 'dns' || line.status === 'dnf' || line.status === 'dsq';
      return wasOut ? { ...line, status: sheet?.complete === true ? 'marked' : 'waiting' } : line;
    }
    case 'sheet.lock':
      return { ...line, locked: sheet?.locked ?? command.payload.locked };
    case 'sheet.sign': {
      const next = { ...line };
      if (command.payload.signed) next.signed = true;
      else delete next.signed;
      return next;
    }
  }
}

/** What the chief's panel shows for one sheet, pending outbox items included. */
export interface ChiefView {
  /** criterion id → value and whether it is still waiting to be sent. */
  measured: Record<string, { value: string; pending: boolean }>;
  deductions: Array<Deduction & { pending: 'add' | 'remove' | null }>;
  outcome: { value: Outcome; pending: boolean };
  locked: { value: boolean; pending: boolean };
  signed: { value: boolean; pending: boolean };
}

/** The line as the server holds it, with the chief's pending items (oldest first) laid over it. */
export function chiefView(line: JudgeSheetLine, items: readonly OutboxItem[]): ChiefView {
  const held = line.chief ?? { measured: {}, deductions: [] };
  const status = line.status;
  const view: ChiefView = {
    measured: Object.fromEntries(
      Object.entries(held.measured).map(([id, value]) => [id, { value, pending: false }]),
    ),
    deductions: held.deductions.map((d) => ({ ...d, pending: null })),
    outcome: {
      value: status === 'dns' || status === 'dnf' || status === 'dsq' ? status : 'ok',
      pending: false,
    },
    locked: { value: line.locked, pending: false },
    signed: { value: line.signed === true, pending: false },
  };
  for (const { command } of items) {
    switch (command.name) {
      case 'measured.enter':
        view.measured[command.payload.criterionId] = { value: String(command.payload.value), pending: true };
        break;
      case 'deduction.add': {
        const d = command.payload.deduction;
        view.deductions.push({ id: d.id, points: String(d.points), reason: d.reason, pending: 'add' });
        break;
      }
      case 'deduction.remove': {
        const id = command.payload.deductionId;
        view.deductions = view.deductions.map((d) => (d.id === id ? { ...d, pending: 'remove' } : d));
        break;
      }
      case 'outcome.set':
        view.outcome = { value: command.payload.outcome, pending: true };
        break;
      case 'sheet.lock':
        view.locked = { value: command.payload.locked, pending: true };
        break;
      case 'sheet.sign':
        view.signed = { value: command.payload.signed, pending: true };
        break;
      case 'marks.submit':
        break;
    }
  }
  return view;
}

/** Deduction points must be a positive decimal number. */
export function validPoints(text: string): boolean {
  try {
    return parseMark(text).greaterThan(0);
  } catch {
    return false;
  }
}
