/** What the public may see of a stage while an event's results are embargoed. */
import type { PublicControl, StageState } from '../../shared/events.ts';

/** A stage as the public sees it: no totals for an embargoed event. */
export function publicStage(stage: StageState, control: PublicControl): StageState {
  if (!control.embargoed.includes(stage.eventId)) return stage;
  return { ...stage, total: null, judges: stage.judges.map((j) => ({ ...j, total: null })) };
}
