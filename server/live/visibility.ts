/** What the public may see of a stage while an event's results are embargoed or its round frozen. */
import type { PublicControl, StageState } from '../../shared/events.ts';

/**
 * A stage as the public sees it: no totals for an embargoed event, nor for a frozen round (the
 * stage would otherwise give away a result the reveal ceremony has not shown yet).
 */
export function publicStage(stage: StageState, control: PublicControl): StageState {
  const hidden =
    control.embargoed.includes(stage.eventId) ||
    control.frozen[`${stage.eventId}|${stage.roundId}`] !== undefined;
  if (!hidden) return stage;
  return { ...stage, total: null, judges: stage.judges.map((j) => ({ ...j, total: null })) };
}
