import { describe, expect, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import { emptySheet } from '../../../shared/model.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import {
  finalizeRound,
  initialControl,
  setRoundState,
  type ControlState,
} from '../../../server/domain/control.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { authorize } from '../../../server/domain/policy.ts';
import { fixture, judge, organiser, target } from './fixture.ts';

const setup = fixture();
const open = setRoundState(initialControl(), 'lathe', 'r1', 'open');

function codeOf(actor: Actor, command: Command, control: ControlState = open, locked = false): string {
  try {
    authorize(actor, command, { setup, control, sheet: { ...emptySheet(), locked } });
    return 'ok';
  } catch (err) {
    if (err instanceof PodiumError) return err.code;
    throw err;
  }
}

const submit: Command = { name: 'marks.submit', payload: { ...target, marks: { a: '5' } } };
const deduct: Command = {
  name: 'deduction.add',
  payload: { ...target, deduction: { id: 'd', points: '1', reason: 'x' } },
};
const lock: Command = { name: 'sheet.lock', payload: { ...target, locked: true } };
const measured: Command = { name: 'measured.enter', payload: { ...target, criterionId: 'm', value: '3' } };
const openRound: Command = { name: 'round.state', payload: { ...target, state: 'open' } };
const integration: Actor = { kind: 'integration', keyId: 'timer', competitionId: 'cup' };

describe('authorize', () => {
  it('lets a judge mark contestants of their event only while the round is open and the sheet unlocked', () => {
    expect(codeOf(judge('j2'), submit)).toBe('ok');
    expect(codeOf(judge('j2'), submit, initialControl())).toBe('round_not_open');
    expect(codeOf(judge('j2'), submit, open, true)).toBe('sheet_locked');
    expect(codeOf(judge('wj', 'chief'), submit)).toBe('forbidden');
    expect(codeOf(judge('j2', 'judge', 'other'), submit)).toBe('forbidden');
    expect(codeOf(judge('ghost'), submit)).toBe('forbidden');
    expect(
      codeOf(judge('j2'), { ...submit, payload: { ...submit.payload, contestantId: 'w1' } } as Command),
    ).toBe('not_found');
  });

  it('gives the chief judge the sheet commands and nobody else among judges, by the set-up role', () => {
    for (const command of [deduct, lock, measured]) {
      expect(codeOf(judge('j1', 'chief'), command)).toBe('ok');
      expect(codeOf(judge('j2', 'chief'), command)).toBe('forbidden');
    }
    expect(codeOf(judge('j1', 'chief'), openRound)).toBe('forbidden');
  });

  it('lets an integration key send results but not marks, locks or control, in its competition only', () => {
    expect(codeOf(integration, measured)).toBe('ok');
    expect(codeOf(integration, deduct)).toBe('ok');
    expect(codeOf(integration, submit)).toBe('forbidden');
    expect(codeOf(integration, lock)).toBe('forbidden');
    expect(codeOf({ ...integration, competitionId: 'x' }, measured)).toBe('forbidden');
  });

  it('lets organisers do everything but submit marks, and nobody write a finalized round', () => {
    expect(codeOf(organiser, openRound)).toBe('ok');
    expect(codeOf(organiser, deduct, initialControl())).toBe('ok');
    expect(codeOf(organiser, submit)).toBe('forbidden');
    const finalized = finalizeRound(open, 'lathe', 'r1');
    expect(codeOf(organiser, deduct, finalized)).toBe('finalized');
    expect(codeOf(organiser, openRound, finalized)).toBe('finalized');
    expect(codeOf(judge('j2'), submit, finalized)).toBe('finalized');
    expect(codeOf(organiser, { name: 'board.reveal', payload: { ...target } } as Command, finalized)).toBe(
      'ok',
    );
    expect(codeOf({ kind: 'public' }, openRound)).toBe('forbidden');
  });

  it('refuses to finalize a round that never started (regression: finalize was offered for pending rounds)', () => {
    const finalize = { name: 'round.finalize', payload: { ...target } } as Command;
    expect(codeOf(organiser, finalize, initialControl())).toBe('round_not_open');
    expect(codeOf(organiser, finalize, open)).toBe('ok');
    expect(codeOf(organiser, finalize, setRoundState(open, 'lathe', 'r1', 'closed'))).toBe('ok');
  });
});
