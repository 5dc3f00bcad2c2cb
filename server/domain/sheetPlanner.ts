/**
 * Planning a judge's mark (any sheet command): apply it to the sheet (sheetOps.ts), recompute the
 * contestant's board rows (projection.ts) from what this node knows (competitionCache.ts), and
 * guard every value read with its version.
 */
import type { Competition, Sheet } from '../../shared/model.ts';
import { sheetKeyString, type Commit, type SheetKey } from '../store/types.ts';
import type { Actor } from './actor.ts';
import { isOnStage, type ControlState } from './control.ts';
import type { Plan, PlanReads } from './plan.ts';
import { assignedJudgeIds, findContestant, findEvent, findRound } from './policy.ts';
import { rowRef, sameRow, sheetDependencies, updatesForSheet } from './projection.ts';
import { applyToSheet, type SheetCommand } from './sheetOps.ts';
import { sheetSummary, stageView } from './views.ts';

/** What a sheet command is planned on, authorised already; `expect` holds set-up, control and sheet. */
export interface SheetContext {
  competitionId: string;
  setup: Competition;
  control: ControlState;
  expect: Commit['expect'];
}

export async function planSheet(
  reads: PlanReads,
  ctx: SheetContext,
  actor: Actor,
  command: SheetCommand,
  key: SheetKey,
  sheet: Sheet,
): Promise<Plan> {
  const { cache } = reads;
  const { competitionId, setup, control, expect } = ctx;
  const event = findEvent(setup, key.eventId);
  findRound(event, key.roundId);
  const contestant = findContestant(setup, key.eventId, key.contestantId);
  const judgeIds = assignedJudgeIds(setup, event.id);
  const next = applyToSheet({ setup, event, assignedJudgeIds: judgeIds }, sheet, command, actor);

  const deps = sheetDependencies(setup, event, contestant, key);
  // Versions first, then the rows: a change in between makes the commit conflict, never stale.
  const versions = await cache.boardVersions(competitionId, deps.boards);
  deps.boards.forEach((board, i) =>
    expect.push({ ref: { kind: 'board', board }, version: versions[i] ?? 0 }),
  );
  const otherSheets = new Map<string, Sheet>();
  const others = await Promise.all(deps.otherSheets.map((other) => cache.sheet(competitionId, other)));
  deps.otherSheets.forEach((other, i) => {
    const found = others[i];
    if (found === undefined) return;
    // Guarded like the boards: the overall row is computed from these sheets.
    expect.push({ ref: { kind: 'sheet', key: other }, version: found.version });
    if (found.version > 0) otherSheets.set(sheetKeyString(other), found.value);
  });
  const previous = await cache.rows(competitionId, deps.rows);
  const updates = updatesForSheet(setup, event, contestant, key, next, {
    sheets: otherSheets,
    rows: previous,
  });
  const boards = updates.filter((u) => !sameRow(u.row, previous.get(rowRef(u.board, u.rowId))));

  const summary = sheetSummary(setup, event, key, next);
  // On the stage of the contestant's venue (or the event-wide one, where it stands without a venue).
  const onStage = isOnStage(control, key, contestant.venueId);
  const stageVenue = onStage && !isOnStage(control, key, undefined) ? contestant.venueId : undefined;
  const by = actor.kind === 'judge' ? actor.judgeId : null;
  const plan: Plan = {
    commit: { expect, sheets: [{ key, sheet: next }], boards },
    result: { sheet: summary },
    reset: [],
    sheetChange: {
      setup,
      key,
      before: sheet,
      after: next,
      onStage,
      by,
      ...(stageVenue === undefined ? {} : { stageVenueId: stageVenue }),
    },
  };
  if (onStage)
    plan.stage = stageView(competitionId, setup, event, key.roundId, key.contestantId, next, stageVenue);
  return plan;
}
