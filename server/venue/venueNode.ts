/**
 * A venue node (docs/VENUES.md): a whole Podium with its own store serving the venue's judges and
 * screens on the LAN, linked to the hub by a loop that
 *   1. forwards every judge command the venue accepted, in the venue's log order, with its original
 *      opId, from a persisted cursor (moved only past entries the hub answered) — the hub dedups by
 *      opId, so a batch resent after a lost answer or a crash is applied once;
 *   2. once nothing waits, compares its digest (set-up, round states, draws, the venue's stages and
 *      boards) with the hub's. When only the stages differ (the hub put someone on the venue's
 *      stage), it takes the hub's stages in as one log entry (mirroredStages.ts) — its screens get
 *      `stage:update`, its tablets go on; on any other difference — the hub closed a round,
 *      corrected a sheet, refused a command, drew numbers — it resyncs: replays the hub's archive
 *      into its scratch space and swaps it in (restore's path);
 *   3. keeps the hub's overall places of its contestants, with their age, for the venue's screens.
 * Judges keep marking when the link is down: the loop retries and nothing waits on the hub.
 */
import { formatHlc, parseHlc, type HybridClock } from '../../shared/hlc.ts';
import type {
  ForwardedEntry,
  ForwardOutcome,
  ForwardResponse,
  LinkedStage,
  VenueStateResponse,
} from '../../shared/venueLink.ts';
import type { VenueNodeStatus, VenueRefusal } from '../../shared/venueStatus.ts';
import { FORWARD_BATCH_MAX } from '../../shared/venueLink.ts';
import { isAuditOnly } from '../domain/auditEntries.ts';
import { PodiumError } from '../domain/errors.ts';
import { archiveContentSchema, replayArchive, type ArchiveEntry } from '../domain/restore.ts';
import type { ContestService } from '../domain/service.ts';
import { isSheetCommandName } from '../domain/sheetOps.ts';
import type { Logger } from '../logger.ts';
import type { LogEntry, Store } from '../store/types.ts';
import { stableJson, venueDigest, venueSnapshot, type VenueSnapshot } from './digest.ts';
import { randomUUID } from 'node:crypto';

const LINK = 'venue.link';
const REFUSALS = 'venue.refusals';
const PAGE = 1000;

export interface VenueNodeOptions {
  hubUrl: string;
  key: string;
  store: Store;
  service: ContestService;
  clock: HybridClock;
  logger: Logger;
  judgesOnline?: () => number;
  /** Pause between link cycles (ms). */
  intervalMs?: number;
  /** A hub request taking longer than this counts as a cut link (ms). */
  timeoutMs?: number;
}

export type { VenueNodeStatus, VenueRefusal } from '../../shared/venueStatus.ts';

/**
 * True for a log entry the venue forwards: a judge's sheet command, or a `stage.set` sent to the
 * node (by its organiser or an integration key). Every `stage.set` goes — another venue's or the
 * event-wide stage too — so that the hub, which applies only the node's own venue's, refuses the
 * rest visibly (audited, listed) instead of the node undoing them silently.
 */
export function forwardable(entry: Pick<LogEntry, 'actor' | 'type'>): boolean {
  if (entry.type === 'stage.set') return !entry.actor.startsWith('venue:');
  return entry.actor.startsWith('judge:') && isSheetCommandName(entry.type);
}

/**
 * True when the hub's stages are all that differs: the node's snapshot hashed with the hub's
 * stages in place of its own equals the hub's digest, and no stage the node mirrors is gone at
 * the hub (only a finalize or a set-up change clears one, and those resync).
 */
function onlyStagesDiffer(hub: VenueStateResponse, local: VenueSnapshot): boolean {
  // A hub of an older version sends no stages.
  if (typeof hub.stages !== 'object' || hub.stages === null) return false;
  if (Object.keys(local.stages).some((key) => !Object.hasOwn(hub.stages, key))) return false;
  return local.digestWith(hub.stages) === hub.digest;
}

export class VenueNode {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Runs the next cycle now, while the loop pauses between cycles. */
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  /** A command was accepted while a cycle ran: run the next one without the pause. */
  private nudged = false;
  private readonly state: VenueNodeStatus = {
    competitionId: null,
    venueId: null,
    linkUp: false,
    lastContact: null,
    waiting: 0,
    forwarded: 0,
    refused: 0,
    resyncs: 0,
    stagesTaken: 0,
    inSync: false,
    overall: null,
  };

  constructor(private readonly o: VenueNodeOptions) {}

  start(): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      this.running = this.cycle().catch((err: unknown) => {
        this.state.linkUp = false;
        this.state.inSync = false;
        this.o.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'venue link: cycle failed',
        );
      });
      await this.running;
      if (this.stopped) return;
      if (this.nudged) {
        // A command was accepted during that cycle, perhaps after it read the log: go again now.
        this.nudged = false;
        void loop();
        return;
      }
      const wake = (): void => {
        if (this.wake !== wake) return;
        this.wake = undefined;
        clearTimeout(this.timer);
        void loop();
      };
      this.wake = wake;
      this.timer = setTimeout(wake, this.o.intervalMs ?? 500);
    };
    // A judge's sheet command (or a stage) accepted here starts the next cycle at once while the
    // link is up, instead of at the end of the pause: the overall ranking hears of it sooner.
    this.unsubscribe ??= this.o.service.onChange((change) => {
      if ((change.sheetChange === undefined && change.stage === undefined) || !this.state.linkUp) return;
      if (this.wake !== undefined) this.wake();
      else this.nudged = true;
    });
    void loop();
  }

  /** Start again after stop() (tests: a link cut and restored). */
  restart(): void {
    this.stopped = false;
    this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.timer);
    await this.running;
  }

  status(): VenueNodeStatus {
    return structuredClone(this.state);
  }

  /** The venue's commands the hub refused (for the venue's chief judge and organiser). */
  async refusals(): Promise<VenueRefusal[]> {
    const all = (await this.o.store.listRecords(REFUSALS)).map((r) => r.value as VenueRefusal);
    return all.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  }

  /** One round: learn the competition, forward what waits, then converge on the hub's state. */
  async cycle(): Promise<void> {
    // Count what waits first: while the hub is unreachable the venue's console still sees it grow.
    if (this.state.competitionId !== null) await this.pending(this.state.competitionId);
    let hub = await this.hubState();
    const competitionId = hub.competitionId;
    this.state.inSync = false;
    const drained = await this.forwardAll(competitionId);
    if (!drained) return;
    hub = await this.hubState();
    if ((await this.pending(competitionId)).length > 0) return;
    // The hub refused a stage forwarded from here: resync (the refused stage may be another venue's,
    // which the digest does not cover, so no comparison would undo it). Kept in a record, so a
    // restart in between still resyncs.
    if ((await this.o.store.getRecord(LINK, `stageRefused:${competitionId}`)) !== null) {
      await this.resync(competitionId);
      await this.o.store.deleteRecord(LINK, `stageRefused:${competitionId}`);
      return;
    }
    const local = await venueSnapshot(this.o.store, competitionId, hub.venueId);
    if (local.digest === hub.digest) this.state.inSync = true;
    else if (onlyStagesDiffer(hub, local))
      this.state.inSync = await this.takeStages(competitionId, hub, local.stages);
    else await this.resync(competitionId);
  }

  /** Take in the stages that changed at the hub; true when the node is then in sync with the hub. */
  private async takeStages(
    competitionId: string,
    hub: VenueStateResponse,
    local: Record<string, LinkedStage>,
  ): Promise<boolean> {
    const changed = Object.fromEntries(
      Object.entries(hub.stages).filter(([key, s]) => stableJson(s) !== stableJson(local[key] ?? null)),
    );
    // Checked again inside the competition's lane: a stage set here since the comparison waits to be
    // forwarded, and taking the hub's stages now would undo it.
    const nothingWaits = async (): Promise<boolean> => (await this.pending(competitionId)).length === 0;
    try {
      const taken = await this.o.service.mirrorStages(
        competitionId,
        changed,
        `stages-${randomUUID()}`,
        nothingWaits,
      );
      if (taken === null) return false;
    } catch (err) {
      // The node's state cannot take them (it should not happen when only the stages differ): resync.
      this.o.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'venue link: could not take the hub’s stages; resyncing',
      );
      await this.resync(competitionId);
      return false;
    }
    this.state.stagesTaken++;
    // A judge's mark accepted meanwhile changes a board: the next cycle forwards it and compares again.
    return (await venueDigest(this.o.store, competitionId, hub.venueId)) === hub.digest;
  }

  private async request<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(`/api${path}`, this.o.hubUrl), {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Venue ${this.o.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 5_000),
    });
    const answer = (await response.json()) as { ok: boolean; code?: string; message?: string };
    if (!response.ok || !answer.ok) {
      throw new Error(`hub answered ${response.status} ${answer.code ?? ''}: ${answer.message ?? ''}`);
    }
    return answer as T;
  }

  private heard(at: number, hlc: string): void {
    const stamp = parseHlc(hlc);
    if (stamp !== null) this.o.clock.receive(stamp);
    this.state.linkUp = true;
    this.state.lastContact = at;
  }

  private async hubState(): Promise<VenueStateResponse> {
    // The venue's judges online and marks waiting, for the organiser console at the hub.
    const report = new URLSearchParams({
      judgesOnline: String(this.o.judgesOnline?.() ?? 0),
      waiting: String(this.state.waiting),
    });
    const hub = await this.request<VenueStateResponse>(`/venue-link/state?${report.toString()}`);
    this.heard(hub.at, hub.hlc);
    this.state.competitionId = hub.competitionId;
    this.state.venueId = hub.venueId;
    this.state.overall = { places: hub.places, asOf: hub.at };
    return hub;
  }

  private async cursor(competitionId: string): Promise<string | undefined> {
    const saved = (await this.o.store.getRecord(LINK, `cursor:${competitionId}`)) as {
      logId?: unknown;
    } | null;
    return typeof saved?.logId === 'string' ? saved.logId : undefined;
  }

  private async setCursor(competitionId: string, logId: string): Promise<void> {
    await this.o.store.putRecord(LINK, `cursor:${competitionId}`, { logId });
  }

  /** Every forwardable entry after the cursor, oldest first. */
  private async pending(competitionId: string): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    let after = await this.cursor(competitionId);
    for (;;) {
      const page = await this.o.store.readLog(competitionId, after, PAGE);
      out.push(...page.filter(forwardable));
      if (page.length < PAGE) break;
      after = page.at(-1)?.id;
    }
    this.state.waiting = out.length;
    return out;
  }

  /** Forward until nothing waits (true) or the hub stops answering entries (false). */
  private async forwardAll(competitionId: string): Promise<boolean> {
    for (;;) {
      if (this.stopped) return false;
      const cursor = await this.cursor(competitionId);
      const page = await this.o.store.readLog(competitionId, cursor, PAGE);
      if (page.length === 0) return true;
      const batch: LogEntry[] = [];
      const judged: LogEntry[] = [];
      for (const entry of page) {
        batch.push(entry);
        if (!forwardable(entry)) continue;
        judged.push(entry);
        if (judged.length === FORWARD_BATCH_MAX) break;
      }
      const last = batch.at(-1);
      if (last === undefined) return true;
      if (judged.length === 0) {
        await this.setCursor(competitionId, last.id);
        continue;
      }
      const waiting = (await this.pending(competitionId)).length;
      const venueId = this.state.venueId ?? 'venue';
      let previousAt = -1;
      let counter = 0;
      const entries: ForwardedEntry[] = judged.map((e) => {
        counter = e.at === previousAt ? counter + 1 : 0;
        previousAt = e.at;
        return {
          logId: e.id,
          opId: e.opId,
          actor: e.actor,
          type: e.type,
          payload: e.payload,
          hlc: formatHlc({ wall: e.at, counter, node: venueId }),
        };
      });
      const answer = await this.request<ForwardResponse>('/venue-link/forward', {
        competitionId,
        entries,
        status: { judgesOnline: this.o.judgesOnline?.() ?? 0, waiting },
      });
      this.heard(Date.now(), answer.hlc);
      const answered = answer.results.length;
      if (answered === 0) return false;
      answer.results.forEach((result, i) => {
        if (result.logId !== entries[i]?.logId) throw new Error('the hub answered another entry than sent');
      });
      for (const [i, result] of answer.results.entries()) await this.record(entries[i], result);
      this.state.forwarded += answer.results.filter((r) => r.status !== 'refused').length;
      this.state.waiting = Math.max(0, waiting - answered);
      const moveTo = answered === judged.length ? last.id : (judged[answered - 1]?.id ?? last.id);
      await this.setCursor(competitionId, moveTo);
      if (answered < judged.length) return false;
    }
  }

  private async record(entry: ForwardedEntry | undefined, result: ForwardOutcome): Promise<void> {
    if (entry === undefined || result.status !== 'refused') return;
    this.state.refused++;
    if (entry.type === 'stage.set' && this.state.competitionId !== null)
      await this.o.store.putRecord(LINK, `stageRefused:${this.state.competitionId}`, { opId: entry.opId });
    const refusal: VenueRefusal = { ...entry, code: result.code, message: result.message, at: Date.now() };
    await this.o.store.putRecord(REFUSALS, entry.opId, refusal);
  }

  /** Replace the venue's competition with the hub's (nothing waiting to be forwarded may be lost). */
  private async resync(competitionId: string): Promise<void> {
    const archive = archiveContentSchema.parse(await this.request<unknown>('/venue-link/archive'));
    const replayed = archive.log.filter((e) => !isAuditOnly(e.type));
    const lastOpId = replayed.at(-1)?.opId;
    if (lastOpId === undefined) return;
    await this.o.service.replaceCompetition(competitionId, true, async (scratch) => {
      // Commands accepted after the check in cycle() finished before this lane opened: not forwarded yet.
      if ((await this.pending(competitionId)).length > 0)
        throw new PodiumError('conflict', 'venue commands arrived since; resync later');
      await replayArchive(
        scratch,
        competitionId,
        archive as { setup: unknown; control: unknown; log: ArchiveEntry[] },
      );
    });
    // The swapped-in log ends with the hub's last entry; anything after it was accepted here since.
    let after: string | undefined;
    for (;;) {
      const page = await this.o.store.readLog(competitionId, after, PAGE);
      const found = page.find((e) => e.opId === lastOpId);
      if (found !== undefined) {
        await this.setCursor(competitionId, found.id);
        break;
      }
      if (page.length < PAGE) throw new Error('the resynced log lacks the hub’s last entry');
      after = page.at(-1)?.id;
    }
    this.state.resyncs++;
    this.o.logger.info({ competitionId, entries: replayed.length }, 'venue resynced from the hub');
  }
}
