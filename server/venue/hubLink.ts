/**
 * The hub's side of the venue link (docs/VENUES.md). A forwarded entry is executed as the venue's
 * judge (a `stage.set`: as the venue's organiser, for the venue's own stage only) through
 * ContestService — the same path and the same opId dedup as a tablet's command, so
 * a batch sent twice (a lost answer, a venue restarted) changes nothing the second time. A command
 * the hub refuses is written to the log as a `venue.refused` audit entry (itself idempotent: its
 * opId derives from the command's), listed for the organiser, and answered to the venue.
 */
import { createHash } from 'node:crypto';
import { commandSchemas, type Command, type CommandName } from '../../shared/commands.ts';
import { compareHlc, formatHlc, parseHlc, type HybridClock } from '../../shared/hlc.ts';
import type {
  ForwardOutcome,
  ForwardRequest,
  ForwardResponse,
  OverallPlace,
  VenueStateResponse,
} from '../../shared/venueLink.ts';
import type { Actor } from '../domain/actor.ts';
import { VENUE_REFUSED } from '../domain/auditEntries.ts';
import { PodiumError } from '../domain/errors.ts';
import { stageVenueOf } from '../domain/controlOps.ts';
import { isSheetCommand } from '../domain/sheetOps.ts';
import type { Competition } from '../../shared/model.ts';
import type { Logger } from '../logger.ts';
import type { LogEntry, Store } from '../store/types.ts';
import { boardRows, venueSnapshot } from './digest.ts';
import type { VenueIdentity } from './venueKeys.ts';
import { contestantOf, type RefusalRecord, type VenueLinkState } from '../../shared/venueStatus.ts';

export type { RefusalRecord, VenueLinkState } from '../../shared/venueStatus.ts';
import type { CommandExecutor } from '../http/deps.ts';
import { boardsOfSetup } from '../domain/boardList.ts';

/** Refusals that are final: the command itself cannot apply. Anything else is retried by the venue. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_payload',
  'forbidden',
  'not_found',
  'round_not_open',
  'sheet_locked',
  'finalized',
  'op_id_conflict',
]);

const CURSORS = 'venue.cursor';
const REFUSALS = 'venue.refusals';

/** A venue that has not called for this long is shown as cut off. */
export const LINK_UP_MS = 10_000;

export class VenueHub {
  private readonly contact = new Map<string, { at: number; judgesOnline: number; waiting: number }>();

  constructor(
    private readonly deps: {
      store: Store;
      service: CommandExecutor;
      clock: HybridClock;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Execute a venue's batch in order; stops at the first transient failure (the venue resends from there). */
  async forward(venue: VenueIdentity, request: ForwardRequest): Promise<ForwardResponse> {
    if (request.competitionId !== venue.competitionId)
      throw new PodiumError('forbidden', 'this venue key belongs to another competition');
    const id = `${venue.competitionId}:${venue.venueId}`;
    this.contact.set(id, { at: this.now(), ...request.status });
    const setup = (await this.deps.store.getSetup(venue.competitionId)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${venue.competitionId}`);
    const results: ForwardOutcome[] = [];
    for (const entry of request.entries) {
      const stamp = parseHlc(entry.hlc);
      if (stamp === null) throw new PodiumError('invalid_payload', `entry ${entry.logId}: bad hlc`);
      const received = this.deps.clock.receive(stamp);
      const refuse = async (code: string, message: string): Promise<void> => {
        await this.audit(venue, entry, code, message, formatHlc(received));
        results.push({ logId: entry.logId, status: 'refused', code, message });
      };
      const command = parseCommand(entry.type, entry.payload);
      if (command === null || command.payload.opId !== entry.opId) {
        await refuse('invalid_payload', `not a command with opId ${entry.opId}`);
        continue;
      }
      let actor: Actor;
      if (command.name === 'stage.set') {
        const why = stageRefusal(setup, venue, command.payload);
        if (why !== null) {
          await refuse(why.code, why.message);
          continue;
        }
        actor = venueOrganiser(venue);
      } else if (isSheetCommand(command) && entry.actor.startsWith('judge:')) {
        const judgeId = entry.actor.slice('judge:'.length);
        const judge = setup.judges.find((j) => j.id === judgeId);
        if (judge?.venueId !== venue.venueId) {
          await refuse('forbidden', `judge ${judgeId} does not score at venue ${venue.venueId}`);
          continue;
        }
        actor = { kind: 'judge', judgeId, competitionId: venue.competitionId, role: judge.role };
      } else {
        await refuse(
          'invalid_payload',
          `a venue forwards judges' sheet commands and stage.set, not ${entry.type}`,
        );
        continue;
      }
      try {
        const result = await this.deps.service.execute(actor, command);
        results.push({ logId: entry.logId, status: result.duplicate ? 'duplicate' : 'accepted' });
      } catch (err) {
        if (err instanceof PodiumError && FINAL_REFUSALS.has(err.code)) {
          await refuse(err.code, err.message);
          continue;
        }
        this.deps.logger.warn({ err, venue: venue.venueId }, 'venue batch stopped: transient failure');
        break;
      }
    }
    // What the venue reported waiting included this batch; what the hub answered no longer waits.
    this.contact.set(id, {
      ...request.status,
      at: this.now(),
      waiting: Math.max(0, request.status.waiting - results.length),
    });
    const last = results.at(-1);
    if (last !== undefined)
      await this.deps.store.putRecord(CURSORS, id, { logId: last.logId, at: this.now() });
    return { ok: true, results, hlc: formatHlc(this.deps.clock.now()) };
  }

  private async audit(
    venue: VenueIdentity,
    entry: ForwardRequest['entries'][number],
    code: string,
    message: string,
    hubHlc: string,
  ): Promise<void> {
    const contestantId = contestantOf(entry.payload);
    const record: RefusalRecord = {
      ...venue,
      opId: entry.opId,
      actor: entry.actor,
      type: entry.type,
      ...(contestantId === undefined ? {} : { contestantId }),
      code,
      message,
      venueHlc: entry.hlc,
      hubHlc,
      at: this.now(),
    };
    const opId = `refused-${createHash('sha256').update(entry.opId).digest('hex').slice(0, 40)}`;
    await this.deps.store.commit(venue.competitionId, {
      opId,
      entry: {
        at: parseHlc(hubHlc)?.wall ?? this.now(),
        actor: `venue:${venue.venueId}`,
        opId,
        type: VENUE_REFUSED,
        payload: { ...record, command: entry.payload },
      },
      expect: [],
      sheets: [],
      boards: [],
      result: null,
    });
    await this.deps.store.putRecord(REFUSALS, `${venue.competitionId}:${entry.opId}`, record);
  }

  /**
   * The digest the venue compares with its own, the venue's stages, and its contestants' places on
   * the event-wide boards.
   */
  async state(venue: VenueIdentity, report?: VenueReport): Promise<VenueStateResponse> {
    const { store } = this.deps;
    const setup = (await store.getSetup(venue.competitionId)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${venue.competitionId}`);
    const id = `${venue.competitionId}:${venue.venueId}`;
    const previous = this.contact.get(id);
    this.contact.set(id, { judgesOnline: 0, waiting: 0, ...previous, ...report, at: this.now() });
    const here = new Set(setup.contestants.filter((c) => c.venueId === venue.venueId).map((c) => c.id));
    const places: OverallPlace[] = [];
    const eventBoards = boardsOfSetup(setup).filter(
      (b) => b.scope === 'individual' && b.category === null && b.venueId === undefined,
    );
    for (const board of eventBoards) {
      const rows = await boardRows(store, venue.competitionId, board.board);
      for (const row of rows) {
        if (here.has(row.id))
          places.push({
            board: board.board,
            contestantId: row.id,
            rank: row.rank,
            total: row.total,
            of: rows.length,
          });
      }
    }
    // The digest and the stages from one read of the control state, so they agree.
    const { digest, stages } = await venueSnapshot(store, venue.competitionId, venue.venueId);
    return {
      ok: true,
      ...venue,
      digest,
      stages,
      places,
      at: this.now(),
      hlc: formatHlc(this.deps.clock.now()),
    };
  }

  /** The whole competition (set-up, control, log) for a venue to resync from. */
  async archive(venue: VenueIdentity): Promise<{ setup: unknown; control: unknown; log: LogEntry[] }> {
    const { store } = this.deps;
    const setup = (await store.getSetup(venue.competitionId)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${venue.competitionId}`);
    const control = (await store.getControl(venue.competitionId)).value;
    const log: LogEntry[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.readLog(venue.competitionId, after, 1000);
      log.push(...page);
      if (page.length < 1000) break;
      after = page.at(-1)?.id;
    }
    return { setup, control, log };
  }

  /** Every venue's link, for the organiser console. */
  async links(competitionId: string): Promise<VenueLinkState[]> {
    const { store } = this.deps;
    const setup = (await store.getSetup(competitionId)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${competitionId}`);
    const refusals = (await this.refusals(competitionId)).reduce<Record<string, number>>((n, r) => {
      n[r.venueId] = (n[r.venueId] ?? 0) + 1;
      return n;
    }, {});
    const out: VenueLinkState[] = [];
    for (const venue of setup.venues ?? []) {
      const id = `${competitionId}:${venue.id}`;
      const contact = this.contact.get(id);
      const cursor = (await store.getRecord(CURSORS, id)) as { logId?: unknown } | null;
      out.push({
        venueId: venue.id,
        lastContact: contact?.at ?? null,
        linkUp: contact !== undefined && this.now() - contact.at < LINK_UP_MS,
        judgesOnline: contact?.judgesOnline ?? 0,
        waiting: contact?.waiting ?? 0,
        cursor: typeof cursor?.logId === 'string' ? cursor.logId : null,
        refused: refusals[venue.id] ?? 0,
      });
    }
    return out;
  }

  /** Every refused venue command of a competition, in causal (HLC) order. */
  async refusals(competitionId: string): Promise<RefusalRecord[]> {
    const all = (await this.deps.store.listRecords(REFUSALS)).map((r) => r.value as RefusalRecord);
    return all
      .filter((r) => r.competitionId === competitionId)
      .sort((a, b) => compareHlc(parseHlc(a.hubHlc) ?? zero, parseHlc(b.hubHlc) ?? zero));
  }
}

/** What a venue reports with each state poll (GET /venue-link/state?judgesOnline=&waiting=). */
export interface VenueReport {
  judgesOnline: number;
  waiting: number;
}

const zero = { wall: 0, counter: 0, node: '' };

/**
 * The organiser a venue's forwarded `stage.set` runs as at the hub: logged as
 * `organiser:venue:<venueId>`, so the hub's log says which venue drove the stage.
 */
export function venueOrganiser(venue: VenueIdentity): Actor {
  return { kind: 'organiser', id: `venue:${venue.venueId}` };
}

/**
 * Why the hub refuses a venue's `stage.set` (null: it may apply it). A venue drives its own stage
 * only: putting one of its contestants on it, or clearing it. Another venue's contestant, the
 * event-wide stage (a contestant without a venue, or clearing without a venue) and another
 * competition are `forbidden`; a venue that is not the contestant's is `invalid_payload`, as at
 * the hub's own console.
 */
export function stageRefusal(
  setup: Competition,
  venue: VenueIdentity,
  payload: Extract<Command, { name: 'stage.set' }>['payload'],
): { code: string; message: string } | null {
  if (payload.competitionId !== venue.competitionId)
    return { code: 'forbidden', message: `venue ${venue.venueId} belongs to another competition` };
  let stageVenue: string | undefined;
  try {
    stageVenue = stageVenueOf(setup, payload);
  } catch (err) {
    if (err instanceof PodiumError) return { code: err.code, message: err.message };
    throw err;
  }
  if (stageVenue === venue.venueId) return null;
  const whose =
    stageVenue === undefined
      ? 'the event-wide stage is set at the hub'
      : `contestant ${payload.contestantId ?? ''} performs at venue ${stageVenue}`;
  return {
    code: 'forbidden',
    message: `venue ${venue.venueId} sets only its own stage: ${whose}`,
  };
}

function parseCommand(type: string, payload: unknown): Command | null {
  if (!Object.hasOwn(commandSchemas, type)) return null;
  const parsed = commandSchemas[type as CommandName].safeParse(payload);
  // The schema lookup keeps the name and payload together; TypeScript cannot see that.
  return parsed.success ? ({ name: type, payload: parsed.data } as Command) : null;
}
