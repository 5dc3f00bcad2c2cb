/**
 * Which judges' tablets a committed sheet change must update, and with what line. Judges see
 * their own marks from their command's ack, so a line goes only where something they can see
 * changed; judges whose lines are identical share one push (one adapter message for all).
 */
import type { DivergenceFlag, JudgeSheetLine } from '../../shared/events.ts';
import type { Sheet } from '../../shared/model.ts';
import { own } from '../../shared/records.ts';
import type { SheetChange } from './plan.ts';
import { markingJudgeIds } from './officialOps.ts';
import { findEvent } from './policy.ts';
import { sheetResult } from './projection.ts';
import { judgeLine } from './views.ts';
import { marksVisible } from './visibility.ts';

/** One line for the devices of several judges. */
export interface SheetPush {
  judgeIds: string[];
  line: JudgeSheetLine;
}

/** The pushes a sheet change needs: chief judges get every change, other judges what they can see change. */
export function sheetPushes(change: SheetChange): SheetPush[] {
  const { setup, key, before, after, onStage, stageVenueId, by } = change;
  // A judge sees "on stage" by their own venue's stage (or the event-wide one): docs/VENUES.md.
  const onStageFor = (judgeId: string | undefined) => {
    const venueId = setup.judges.find((j) => j.id === judgeId)?.venueId;
    return onStage && (stageVenueId === undefined || venueId === undefined || venueId === stageVenueId);
  };
  const event = findEvent(setup, key.eventId);
  const judges = setup.judges.filter((j) => j.eventIds.includes(key.eventId));
  // What judgeLine shows: others' marks once visibility allows (counted over the sheet's panel, as there).
  const revealed = (sheet: Sheet) =>
    marksVisible(
      event,
      markingJudgeIds(setup, key, sheet).length,
      sheetResult(setup, event, key.contestantId, sheet).markedBy.length,
    );
  const nowRevealed = revealed(after);
  const changed = changedMarks(before, after);
  const forAll =
    before.locked !== after.locked || before.outcome !== after.outcome || (nowRevealed && !revealed(before));

  const groups = new Map<string, string[]>();
  for (const judge of judges) {
    const needed =
      judge.role === 'chief' ||
      forAll ||
      // Someone else (a chief's correction) changed this judge's own marks.
      (judge.id !== by && changed.has(judge.id)) ||
      (nowRevealed && [...changed].some((id) => id !== judge.id));
    if (!needed) continue;
    // Lines differ only by the judge's own marks and the chief part: judges without marks share one.
    const group = Object.hasOwn(after.marks, judge.id)
      ? `judge:${judge.id}`
      : `unmarked:${judge.role}:${String(onStageFor(judge.id))}`;
    const ids = groups.get(group);
    if (ids === undefined) groups.set(group, [judge.id]);
    else ids.push(judge.id);
  }
  return [...groups.values()].map((judgeIds) => ({
    judgeIds,
    line: judgeLine(setup, event, key, after, judgeIds[0] ?? null, onStageFor(judgeIds[0])),
  }));
}

/**
 * Divergences this change flagged for the first time (a judge's mark beyond the criterion's
 * tolerance from the others' median), for the chief judges and organisers to look at.
 */
export function newDivergences(change: SheetChange): DivergenceFlag[] {
  const { setup, key, before, after } = change;
  const event = findEvent(setup, key.eventId);
  const id = (d: { criterionId: string; judgeId: string }) => `${d.criterionId}|${d.judgeId}`;
  const seen = new Set(sheetResult(setup, event, key.contestantId, before).divergences.map(id));
  return sheetResult(setup, event, key.contestantId, after)
    .divergences.filter((d) => !seen.has(id(d)))
    .map((d) => ({ ...key, criterionId: d.criterionId, judgeId: d.judgeId }));
}

/** Ids of the chief judges of an event. */
export function chiefJudgeIds(change: SheetChange): string[] {
  return change.setup.judges
    .filter((j) => j.role === 'chief' && j.eventIds.includes(change.key.eventId))
    .map((j) => j.id);
}

/** Ids of the judges whose marks differ between the two sheets. */
function changedMarks(before: Sheet, after: Sheet): Set<string> {
  const ids = new Set([...Object.keys(before.marks), ...Object.keys(after.marks)]);
  return new Set([...ids].filter((id) => !sameMarks(own(before.marks, id), own(after.marks, id))));
}

function sameMarks(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
