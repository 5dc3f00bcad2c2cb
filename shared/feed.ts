/**
 * Lines of the event feed (GET /api/competitions/:id/event-feed), shaped after the ICPC CLICS
 * Contest API notification format `{ type, id, data, token }` (docs/API.md, "Event feed"). Each
 * line is the current state of one object as the caller may see it; clients keep the latest.
 */
import { z } from 'zod';
import { boardInfoSchema, boardResultsSchema } from './results.ts';
import { publicCompetitionSchema, publicControlSchema, rankedRowSchema } from './wire.ts';

/** The last line of a log entry carries its token (the entry's log id); other lines carry null. */
const token = z
  .string()
  .regex(/^\d+-\d+$/)
  .nullable();

/** `contest`: the public set-up, with CLICS's scoreboard_type and Podium's board list. */
export const contestLineSchema = z.strictObject({
  type: z.literal('contest'),
  id: z.null(),
  data: publicCompetitionSchema.extend({
    scoreboard_type: z.literal('score'),
    boards: z.array(boardInfoSchema),
  }),
  token,
});

/** `state`: round states, freezes and embargoes (Podium's PublicControl, in place of CLICS's contest state). */
export const stateLineSchema = z.strictObject({
  type: z.literal('state'),
  id: z.null(),
  data: publicControlSchema,
  token,
});

/** `boards` (extension): a whole board as GET …/results/:board gives it; replaces everything held for it. */
export const boardLineSchema = z.strictObject({
  type: z.literal('boards'),
  id: z.string(),
  data: boardResultsSchema.omit({ ok: true }),
  token,
});

/** `rows` (extension): one row of a board changed; `row` null = no longer on the board. */
export const rowLineSchema = z.strictObject({
  type: z.literal('rows'),
  /** `<board id>/<row id>`. */
  id: z.string(),
  data: z.strictObject({ board: z.string(), rowId: z.string(), row: rankedRowSchema.nullable() }),
  token,
});

/** One line of the event feed. */
export const feedLineSchema = z.discriminatedUnion('type', [
  contestLineSchema,
  stateLineSchema,
  boardLineSchema,
  rowLineSchema,
]);
/** One line of the event feed (also a webhook notification). */
export type FeedLine = z.infer<typeof feedLineSchema>;
