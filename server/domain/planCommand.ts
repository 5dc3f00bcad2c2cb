/**
 * Planning any command: read the set-up and control state (competitionCache.ts), authorise
 * (policy.ts) and hand the command to its family's planner — sheet (a judge's mark), set-up or
 * control. Every read a plan rests on is in its commit's `expect`, so a stale read conflicts.
 */
import type { Command } from '../../shared/commands.ts';
import type { Competition } from '../../shared/model.ts';
import type { Commit, SheetKey } from '../store/types.ts';
import type { Actor } from './actor.ts';
import { planControl } from './controlPlanner.ts';
import { isControlCommand } from './controlOps.ts';
import { PodiumError } from './errors.ts';
import type { Plan, PlanReads } from './plan.ts';
import { authorize } from './policy.ts';
import { planSetup } from './setupPlanner.ts';
import { planSheet } from './sheetPlanner.ts';
import { isSheetCommand } from './sheetOps.ts';

export async function planCommand(
  reads: PlanReads,
  actor: Actor,
  command: Command,
  competitionId: string,
): Promise<Plan> {
  const setup = await reads.cache.setup(competitionId);
  const control = await reads.cache.control(competitionId);
  const expect: Commit['expect'] = [
    { ref: { kind: 'setup' }, version: setup.version },
    { ref: { kind: 'control' }, version: control.version },
  ];
  if (command.name === 'setup.put') {
    authorize(actor, command, { setup: setup.value, control: control.value, now: reads.now });
    return planSetup(reads, competitionId, command.payload.competition, setup.value, expect);
  }
  if (isSheetCommand(command)) {
    const { eventId, roundId, contestantId } = command.payload;
    const key: SheetKey = { eventId, roundId, contestantId };
    const sheet = await reads.cache.sheet(competitionId, key);
    authorize(actor, command, {
      setup: setup.value,
      control: control.value,
      sheet: sheet.value,
      now: reads.now,
    });
    expect.push({ ref: { kind: 'sheet', key }, version: sheet.version });
    const ctx = {
      competitionId,
      setup: existing(setup.value, competitionId),
      control: control.value,
      expect,
    };
    return planSheet(reads, ctx, actor, command, key, sheet.value);
  }
  authorize(actor, command, { setup: setup.value, control: control.value, now: reads.now });
  if (!isControlCommand(command)) throw new PodiumError('invalid_payload', 'unknown command');
  return planControl(
    reads,
    competitionId,
    existing(setup.value, competitionId),
    control.value,
    command,
    expect,
  );
}

/** The set-up, known to exist once authorize() passed for a command other than setup.put. */
function existing(setup: Competition | null, competitionId: string): Competition {
  if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
  return setup;
}
