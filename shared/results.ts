/**
 * The JSON results API (GET /api/competitions/:id/results[/:board]): which boards exist, and one
 * board's results with names, ids, per-round totals, medals and whether they are final. Zod
 * schemas so docs/schema/ describes them; the types are inferred from them.
 */
import { z } from 'zod';
import { outcomeSchema } from './model.ts';
import { rankedRowSchema } from './wire.ts';

const decimalOut = z.string().regex(/^-?\d+(\.\d+)?$/);

/** A board that exists for the set-up (whether or not it has rows yet). */
export const boardInfoSchema = z.strictObject({
  /** The board id used by sockets and `?board=`: `eventId|roundId|scope[|encodeURIComponent(category)]`. */
  board: z.string(),
  /** The URL path segment for GET …/results/:board: encodeURIComponent of `eventId|roundId|scope[|category]` (category as plain text). */
  path: z.string(),
  eventId: z.string(),
  eventName: z.string(),
  /** A round id, or 'overall' (the weighted combination of rounds). */
  roundId: z.string(),
  roundName: z.string().nullable(),
  scope: z.enum(['individual', 'team', 'organisation']),
  category: z.string().nullable(),
  /** Only on a venue's board (`…|individual|@venueId`): the venue it ranks (docs/VENUES.md). */
  venueId: z.string().optional(),
  /** Only on a region's board (`…|individual|@@<encoded region>`): the venues' region it ranks (docs/VENUES.md). */
  region: z.string().optional(),
  /** A display name, e.g. "焊工 · 决赛 · 职工组". */
  name: z.string(),
});
/** A board of the set-up. */
export type BoardInfo = z.infer<typeof boardInfoSchema>;

/** Answer of GET /api/competitions/:id/results. */
export const resultsListSchema = z.strictObject({
  ok: z.literal(true),
  competitionId: z.string(),
  boards: z.array(boardInfoSchema),
});
/** The board list answer. */
export type ResultsList = z.infer<typeof resultsListSchema>;

/** A row's result on the same-scope board of one round (or 'overall'); null when it has none. */
export const roundResultSchema = z
  .strictObject({
    total: decimalOut,
    complete: z.boolean(),
    outcome: outcomeSchema,
    rank: z.number().int().nullable(),
  })
  .nullable();

/** One row of a board's results. */
export const resultRowSchema = rankedRowSchema.extend({
  /** True while some assigned judge has not marked (= !complete). */
  provisional: z.boolean(),
  /** Individual boards of a round: the chief judge signed the result (`sheet.sign`); null on overall, team and organisation boards. */
  signed: z.boolean().nullable(),
  medal: z.enum(['gold', 'silver', 'bronze']).nullable(),
  /** Individual boards: the contestant; null on team and organisation boards. */
  contestant: z
    .strictObject({
      id: z.string(),
      bib: z.string(),
      name: z.string(),
      organisation: z.string(),
      region: z.string(),
      category: z.string().nullable(),
      teamId: z.string().nullable(),
      teamName: z.string().nullable(),
      /**
       * An anonymised event before its decode (docs/RULES.md §13, "Anonymised judging"): the drawn number ("" before the
       * draw), and name, organisation, region and team are empty; absent otherwise.
       */
      draw: z.string().exactOptional(),
    })
    .nullable(),
  /** Team boards: the team; null otherwise. */
  team: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  /** Organisation boards: the organisation's name (its row id); null otherwise. */
  organisation: z.string().nullable(),
  /** Round id (and 'overall' when the event has one) → this row's result on that round's board of the same scope (no category). */
  rounds: z.record(z.string(), roundResultSchema),
});
/** One row of a board's results. */
export type ResultRow = z.infer<typeof resultRowSchema>;

/** Answer of GET /api/competitions/:id/results/:board. */
export const boardResultsSchema = boardInfoSchema.extend({
  ok: z.literal(true),
  competitionId: z.string(),
  /** The board's store version these results reflect. */
  version: z.number().int().min(0),
  /** The caller sees a frozen (or partly revealed) ranking. */
  frozen: z.boolean(),
  /** The event's results are withheld from this caller: `rows` is empty. */
  embargoed: z.boolean(),
  /** 'final' once the round (for 'overall': every counted round) is finalized, else 'provisional'. */
  status: z.enum(['provisional', 'final']),
  /** Number of rows on the board as the caller sees it. */
  total: z.number().int().min(0),
  rows: z.array(resultRowSchema),
});
/** One board's results answer. */
export type BoardResults = z.infer<typeof boardResultsSchema>;
