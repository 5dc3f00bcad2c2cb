/** What accepted commands acknowledge (the `ok: true` part of their Ack). */
import type { Outcome } from './model.ts';

/** What every accepted write acknowledges. `duplicate` is true when the opId was seen before. */
export interface CommandResult {
  logId: string;
  duplicate: boolean;
  /** For sheet commands: the contestant's new result in that round. */
  sheet?: SheetSummary;
}

export interface SheetSummary {
  eventId: string;
  roundId: string;
  contestantId: string;
  total: string;
  complete: boolean;
  outcome: Outcome;
  locked: boolean;
  markedBy: string[];
}
