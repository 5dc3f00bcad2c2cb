/**
 * Zod schemas of every payload the server sends (and of the read requests it accepts), so each
 * gets a JSON Schema in docs/schema/ (`npm run schema`). The TypeScript interfaces in
 * shared/events.ts and shared/boards.ts stay the types the code uses; a type-level test
 * (test/unit/contract/wire.types.test.ts) proves each schema and its interface agree.
 */
import { z } from 'zod';
import { competitionSchema, contestantSchema, deductionSchema, outcomeSchema } from './model.ts';
import { displaySettingsSchema } from './displays.ts';
import { errorCodes } from './events.ts';

const id = z.string().min(1);
/** An exact decimal as the server writes it: digits with an optional sign and decimal point. */
const decimalOut = z.string().regex(/^-?\d+(\.\d+)?$/);

/** One row of a board: `id` is a contestant id, a team id or an organisation name. */
export const boardRowSchema = z.strictObject({
  id,
  total: decimalOut.describe("exact decimal, rounded to the event's decimals"),
  complete: z.boolean().describe('false while some assigned judge has not marked: the total is provisional'),
  outcome: outcomeSchema,
  rankKey: z.string().describe('smaller (Unicode code point order) ranks better; equal keys tie'),
  signed: z.literal(true).exactOptional().describe('signed by the chief judge; absent: provisional'),
  appealed: z.literal(true).exactOptional().describe('an appeal against this result is open'),
});

/** A board row with its standard competition rank (1, 2, 2, 4). */
export const rankedRowSchema = boardRowSchema.extend({
  rank: z.number().int().min(1).nullable().describe('null for a dns/dnf/dsq row: it has no placing'),
});

/** A changed row of a delta: `rank` when it changed, and where it was before (null when new). */
export const deltaRowSchema = rankedRowSchema.extend({
  previousRank: z.number().int().min(1).nullable(),
  previousTotal: decimalOut.nullable(),
});

/** The rows of a board (first 1000) at a version. */
/** The reveal ceremony's state of a frozen board, as the public sees it. */
export const revealStateSchema = z.strictObject({
  pending: z.array(id).describe('shown rows whose result changed since the freeze, not revealed yet'),
  hidden: z.array(id).describe('contestants scored since the freeze, not ranked until revealed (best first)'),
  next: id.nullable().describe('the contestant the next step reveals (the spotlight), or null'),
});

export const boardSnapshotSchema = z.strictObject({
  competitionId: id,
  board: id,
  version: z.number().int().min(0),
  rows: z.array(rankedRowSchema),
  total: z.number().int().min(0),
  frozen: z.boolean(),
  reveal: revealStateSchema.exactOptional().describe('during a freeze, public snapshots only'),
});

/** Changes to a board from version `prev` to `version`, as final row states. */
export const boardDeltaSchema = z.strictObject({
  competitionId: id,
  board: id,
  prev: z.number().int().min(0),
  version: z.number().int().min(1),
  rows: z.array(deltaRowSchema),
  removed: z.array(id),
});

/** `board:reset`, and the request of `board:subscribe` / `board:unsubscribe`. */
export const boardRequestSchema = z.strictObject({ competitionId: id, board: id });

/** `competition:watch` request. */
export const watchRequestSchema = z.strictObject({ competitionId: id });

/** One judge on a stage screen: marked or not, and their total once it may be shown. */
export const stageJudgeSchema = z.strictObject({
  judgeId: id,
  name: z.string(),
  marked: z.boolean(),
  total: decimalOut.nullable(),
});

/** Who is on stage in an event and how far the judges are. */
export const stageStateSchema = z.strictObject({
  competitionId: id,
  eventId: id,
  venueId: id.exactOptional().describe('the venue whose stage this is; absent: the event-wide stage'),
  roundId: z.string(),
  contestantId: id.nullable(),
  judges: z.array(stageJudgeSchema),
  total: decimalOut.nullable(),
  complete: z.boolean(),
});

/** A round's state: every round starts pending. */
export const roundStateSchema = z.enum(['pending', 'open', 'closed', 'finalized']);

/** Round states ("event|round" → state), freezes and embargoes. */
export const publicControlSchema = z.strictObject({
  competitionId: id,
  rounds: z.record(z.string(), roundStateSchema),
  frozen: z.record(z.string(), z.strictObject({ revealed: z.number().int().min(0) }).optional()),
  embargoed: z.array(id),
  /** Named big screens → their settings (`display.set`). */
  displays: z.record(id, displaySettingsSchema),
  notices: z
    .record(
      z.string(),
      z.strictObject({
        endsAt: z.number().int().min(0).describe('results are final from this time (ms since the epoch)'),
      }),
    )
    .exactOptional()
    .describe('eventId|roundId → public notice started by finalize'),
  appealDeadlines: z
    .record(z.string(), z.number().int().min(0))
    .exactOptional()
    .describe('eventId → time after which appeals are refused'),
  qualification: z
    .record(
      z.string(),
      z.strictObject({
        qualifiers: z.array(id).describe('above the qualification line as last taken'),
        moves: z
          .array(z.strictObject({ removed: z.array(id), promoted: z.array(id) }))
          .describe('each change of the line (递补)'),
      }),
    )
    .exactOptional()
    .describe("eventId|roundId → a qualifying round's recorded line"),
  draws: z
    .record(
      id,
      z.strictObject({
        numbers: z.record(id, z.string()).describe('contestant id → drawn number (no names)'),
        decodeRequested: z.boolean().describe('an organiser asked to decode; the chief judge confirms'),
        decoded: z.boolean().describe('names are linked to numbers again'),
      }),
    )
    .exactOptional()
    .describe('eventId → the draw of an anonymised event (docs/RULES.md §13, "Anonymised judging")'),
});

/** How many spectators follow a competition. */
export const audienceUpdateSchema = z.strictObject({ competitionId: id, count: z.number().int().min(0) });

/** A contestant's result in one round, as a sheet command acknowledges it. */
export const sheetSummarySchema = z.strictObject({
  eventId: id,
  roundId: id,
  contestantId: id,
  total: decimalOut,
  complete: z.boolean(),
  outcome: outcomeSchema,
  locked: z.boolean(),
  markedBy: z.array(id),
});

/** What every accepted write acknowledges. */
export const commandResultSchema = z.strictObject({
  logId: id,
  duplicate: z.boolean(),
  sheet: sheetSummarySchema.exactOptional(),
});

/** A refused request: `{ ok: false, code, message }` (HTTP bodies and socket acks). */
export const ackErrorSchema = z.strictObject({
  ok: z.literal(false),
  code: z.enum(errorCodes),
  message: z.string(),
});

/** An entry of the competition list. */
export const competitionSummarySchema = z.strictObject({
  id,
  name: z.string(),
  events: z.array(z.strictObject({ id, name: z.string() })),
  audience: z.number().int().min(0),
});

const publicJudgeSchema = z.strictObject({
  id,
  name: z.string(),
  role: z.enum(['judge', 'chief']),
  eventIds: z.array(id),
  venueId: id.exactOptional().describe('where the judge scores (docs/VENUES.md); absent: everywhere'),
});

/** Public facts of a competition: the set-up with judges reduced to id, name, role and events. */
/** A contestant of an anonymised event before its decode: the drawn number only, no name. */
export const anonymousContestantSchema = z.strictObject({
  id,
  eventId: id,
  bib: z.string().describe('the drawn number ("" before the draw)'),
  name: z.literal(''),
  organisation: z.literal(''),
  region: z.literal(''),
  category: z.string().exactOptional(),
  venueId: id.exactOptional(),
  draw: z.string().describe('the drawn number ("" before the draw)'),
});

export const publicCompetitionSchema = competitionSchema
  .pick({ id: true, name: true, events: true, teams: true, venues: true })
  .extend({
    contestants: z.array(z.union([contestantSchema, anonymousContestantSchema])),
    judges: z.array(publicJudgeSchema),
  });

/** Who a judge's session belongs to. */
export const judgeSessionSchema = z.strictObject({ judge: publicJudgeSchema, competitionId: id });

/** Status of a contestant in a round on a judge's worklist. */
export const performanceStatusSchema = z.enum(['waiting', 'on_stage', 'marked', 'dns', 'dnf', 'dsq']);

/** One line of a judge's worklist. */
export const judgeSheetLineSchema = z.strictObject({
  eventId: id,
  roundId: id,
  contestantId: id,
  status: performanceStatusSchema,
  myMarks: z.record(z.string(), z.string()),
  locked: z.boolean(),
  signed: z.literal(true).exactOptional().describe('the chief judge signed this result'),
  chief: z
    .strictObject({ measured: z.record(z.string(), z.string()), deductions: z.array(deductionSchema) })
    .exactOptional(),
  others: z.record(z.string(), z.record(z.string(), z.string())).nullable(),
});

/** A judge's mark that differs from the others' median by more than the criterion's tolerance. */
export const divergenceFlagSchema = z.strictObject({
  eventId: id,
  roundId: id,
  contestantId: id,
  criterionId: id,
  judgeId: id,
});

/** Whether a judge's tablet was heard from recently. */
export const judgePresenceSchema = z.strictObject({
  judgeId: id,
  online: z.boolean(),
  lastSeen: z.number().nullable(),
});

/** Presence of an event's judges (chief judges only). */
export const presenceUpdateSchema = z.strictObject({ eventId: id, judges: z.array(judgePresenceSchema) });

/** `judge:sheets` request. */
export const judgeSheetsRequestSchema = z.strictObject({ eventId: id, roundId: id.exactOptional() });

/** `presence:heartbeat` request. */
export const heartbeatRequestSchema = z.strictObject({ eventId: id });
