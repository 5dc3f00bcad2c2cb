/**
 * The link between a venue node and the hub (docs/VENUES.md, docs/API.md "Venue link"): HTTP JSON
 * under /api/venue-link, authenticated with a venue key (`Authorization: Venue <key>`).
 *
 *   POST /api/venue-link/forward  the venue's accepted judge commands and stage commands, in its
 *                                 log order, each with its original opId, actor and HLC stamp; the
 *                                 hub executes them through the same idempotent path as a tablet
 *                                 (opId dedup), a stage only for the venue's own stage.
 *   GET  /api/venue-link/state    the digest of what the venue must mirror (set-up, round states,
 *                                 draws, the venue's stages and boards), the venue's stages
 *                                 themselves and the venue contestants' overall ranks.
 *   GET  /api/venue-link/archive  the hub's archive (set-up, control, log), to resync from.
 */
import { z } from 'zod';
import { idSchema, opIdSchema } from './text.ts';

export const hlcTextSchema = z.string().regex(/^\d{15}-[0-9a-z]{6}-[A-Za-z0-9_:-]{1,80}$/);

/** One command accepted at the venue, as its log recorded it. */
export const forwardedEntrySchema = z.strictObject({
  /** The venue log's id of the entry (the venue's cursor moves past it once answered). */
  logId: z.string().regex(/^\d{1,20}-\d{1,20}$/),
  opId: opIdSchema,
  /**
   * "judge:<id>" for a judge's sheet command; for a `stage.set` sent to the node, its sender there
   * ("organiser:<id>", "integration:<id>"), kept for the audit only.
   */
  actor: z.string().regex(/^(judge:[A-Za-z0-9_-]{1,64}|(organiser|integration):[^\s]{1,128})$/),
  /** The command name (a sheet command or `stage.set`) and its payload as the venue accepted it. */
  type: z.string().max(40),
  payload: z.unknown(),
  hlc: hlcTextSchema,
});
export type ForwardedEntry = z.infer<typeof forwardedEntrySchema>;

export const FORWARD_BATCH_MAX = 200;

export const forwardRequestSchema = z.strictObject({
  competitionId: idSchema,
  entries: z.array(forwardedEntrySchema).max(FORWARD_BATCH_MAX),
  /** The venue's state for the organiser console. */
  status: z.strictObject({
    judgesOnline: z.number().int().min(0).max(10_000),
    /** Judge commands accepted at the venue and not yet answered by the hub (this batch included). */
    waiting: z.number().int().min(0).max(100_000_000),
  }),
});
export type ForwardRequest = z.infer<typeof forwardRequestSchema>;

/** GET /venue-link/state?judgesOnline=&waiting=: the venue's state with every poll (both optional). */
export const stateQuerySchema = z.object({
  judgesOnline: z.coerce.number().int().min(0).max(10_000).optional(),
  waiting: z.coerce.number().int().min(0).max(100_000_000).optional(),
});

/** The hub's answer to one forwarded entry. `refused`: recorded in the hub's audit log. */
export type ForwardOutcome =
  | { logId: string; status: 'accepted' | 'duplicate' }
  | { logId: string; status: 'refused'; code: string; message: string };

export interface ForwardResponse {
  ok: true;
  /** One per entry handled, in order; entries after a transient failure are not answered (resend them). */
  results: ForwardOutcome[];
  /** The hub's HLC after taking in the batch. */
  hlc: string;
}

/** A venue contestant's place on an event-wide board (the overall ranking beside the venue's). */
export interface OverallPlace {
  board: string;
  contestantId: string;
  rank: number | null;
  total: string;
  /** Rows on the event-wide board. */
  of: number;
}

/** Who is on one stage, as the hub's control state holds it (server/domain/control.ts `OnStage`). */
export interface LinkedStage {
  roundId: string;
  contestantId: string | null;
  /** Venue stages: the order of the event's stage changes at the hub. */
  seq?: number;
}

export interface VenueStateResponse {
  ok: true;
  competitionId: string;
  venueId: string;
  /**
   * sha256 of the set-up, the round states, the draws, the venue's stages and boards: equal at the
   * venue → in sync.
   */
  digest: string;
  /**
   * The stages the venue mirrors (key `eventId`: event-wide, `eventId@venueId`: the venue's), as
   * the hub holds them: a node whose digest differs only by these takes them in without a resync.
   */
  stages: Record<string, LinkedStage>;
  places: OverallPlace[];
  /** Hub time of this answer (ms since the epoch) and its HLC. */
  at: number;
  hlc: string;
}
