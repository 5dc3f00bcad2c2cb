/**
 * The judge tablet's live state: the signed-in judge, the worklist of the chosen event and round,
 * who is on stage, and the outbox. Everything the judge entered is in the outbox until the server
 * acknowledges it; the worklist says "saved" only for marks the server holds.
 */
import { commandSchemas } from '../../../shared/commands.ts';
import type {
  Ack,
  CommandResult,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  StageState,
} from '../../../shared/events.ts';
import type { ContestEvent, Outcome } from '../../../shared/model.ts';
import {
  ACK_TIMEOUT_MS,
  connectJudge,
  connectionOf,
  type Connection,
  type JudgeSocket,
} from '../lib/socket.ts';
import { stageFor, stagesFrom, withStage, type StageMap } from '../../../shared/stages.ts';
import type { StoredSession } from './auth.ts';
import { writeSoon } from './cacheWriter.ts';
import { applyChiefCommand } from './chief.ts';
import { canonicalMark } from './marks.ts';
import { newOpId, openOutbox, type Outbox, type OutboxItem, type QueuedCommand } from './outbox.ts';
import { OutboxSender, type ServerTrouble } from './sender.ts';

export type LineStatus = 'to_mark' | 'saved' | 'pending' | 'failed' | 'locked' | 'dns' | 'dnf' | 'dsq';

const HEARTBEAT_MS = 5_000;
const CACHE_PREFIX = 'podium.judge.cache.';

/** What is cached per judge so the worklist shows while the server cannot be reached. */
interface Cache {
  competition: PublicCompetition | null;
  /** Round states and stages as last heard (absent in caches written by older versions). */
  control?: PublicControl | null;
  stages?: Record<string, StageState>;
  lines: Record<string, JudgeSheetLine[]>;
}

export class JudgeApp {
  competition = $state.raw<PublicCompetition | null>(null);
  control = $state.raw<PublicControl | null>(null);
  eventId = $state('');
  roundId = $state('');
  /** This judge's worklist lines for the chosen event and round. */
  lines = $state.raw<JudgeSheetLine[]>([]);
  /** Every stage by key (the event, or `eventId@venueId`), as shared/stages.ts keeps them. */
  stages = $state.raw<StageMap>({});
  /** The judge's outbox, oldest first. */
  items = $state.raw<OutboxItem[]>([]);
  /** The browser's own idea of the network (navigator.onLine). */
  browserOnline = $state(true);
  /** The session token was refused: the judge must sign in again. */
  expired = $state(false);
  /** Connected, but the server could not save or did not answer: waiting items are resent. */
  serverTrouble = $state<ServerTrouble | null>(null);
  loading = $state(true);
  /** eventId → judges' presence (chief judges only). */
  presence = $state.raw<Record<string, Array<{ judgeId: string; online: boolean }>>>({});

  /** The signed-in judge (refreshed from the server on every connect). */
  judge = $state.raw<StoredSession['judge']>({ id: '', name: '', role: 'judge', eventIds: [] });

  readonly socket: JudgeSocket;
  readonly connection: Connection;
  #sender: OutboxSender | null = null;
  #outbox: Outbox | null = null;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #cache: Cache;
  #stopped = false;

  constructor(
    readonly session: StoredSession,
    private readonly onExpired: () => void,
  ) {
    this.judge = session.judge;
    this.#cache = readCache(session.judge.id);
    this.competition = this.#cache.competition;
    this.control = this.#cache.control ?? null;
    this.stages = this.#cache.stages ?? {};
    this.browserOnline = navigator.onLine;
    this.socket = connectJudge(session.token);
    this.connection = connectionOf(this.socket);
  }

  /** Events this judge marks, in set-up order. */
  get events(): ContestEvent[] {
    const mine = this.judge.eventIds;
    return (this.competition?.events ?? []).filter((e) => mine.includes(e.id));
  }

  get event(): ContestEvent | undefined {
    return this.events.find((e) => e.id === this.eventId);
  }

  /** Contestant on stage in the chosen event and round, if any. */
  get onStage(): string | null {
    // A judge of a venue follows that venue's stage (docs/VENUES.md); others the event's.
    const venueId =
      this.judge.venueId ?? this.competition?.judges.find((j) => j.id === this.judge.id)?.venueId;
    const stage = stageFor(this.stages, this.eventId, venueId);
    if (stage !== null && stage.roundId === this.roundId) return stage.contestantId;
    return this.lines.find((l) => l.status === 'on_stage')?.contestantId ?? null;
  }

  /** Anonymised events of this chief judge whose decode an organiser asked for and that await confirmation. */
  get decodesAwaiting(): ContestEvent[] {
    if (this.judge.role !== 'chief') return [];
    return this.events.filter((e) => {
      const draw = this.control?.draws?.[e.id];
      return draw !== undefined && draw.decodeRequested && !draw.decoded;
    });
  }

  /** The chief judge's confirmation of a decode (`draw.confirm`); resolves with the refusal's code, or null. */
  async confirmDecode(eventId: string): Promise<string | null> {
    const ack = await this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('cmd:draw.confirm', {
        opId: newOpId(),
        competitionId: this.session.competitionId,
        eventId,
      })
      .catch(() => null);
    if (ack === null) return 'unavailable';
    return ack.ok ? null : ack.code;
  }

  /** The chosen round's state as the server last told ('pending' when unknown). */
  get roundState(): string {
    return this.control?.rounds[`${this.eventId}|${this.roundId}`] ?? 'pending';
  }

  get pendingCount(): number {
    return this.items.filter((i) => i.state === 'pending').length;
  }

  get failedCount(): number {
    return this.items.filter((i) => i.state === 'failed').length;
  }

  get savedCount(): number {
    return this.lines.filter((l) => Object.keys(l.myMarks).length > 0).length;
  }

  /** Open the outbox, connect, and start sending; resolves once the outbox is readable. */
  async start(): Promise<void> {
    const outbox = await openOutbox();
    if (this.#stopped) {
      outbox.close();
      return;
    }
    this.#outbox = outbox;
    this.#sender = new OutboxSender({
      outbox,
      judgeId: this.session.judge.id,
      send: (command) => this.#send(command),
      canSend: () => navigator.onLine && this.socket.connected,
      onChange: (items) => {
        this.items = items;
      },
      onAccepted: (item, result) => this.#accepted(item, result),
      onUnauthorized: () => this.#expire(),
      onServerTrouble: (trouble) => {
        this.serverTrouble = trouble;
      },
    });
    await this.#sender.publish();
    this.#pickDefaultRound();
    this.lines = this.#cache.lines[this.#roundKey()] ?? [];
    this.loading = this.competition === null;

    this.socket.on('connect', this.#onConnect);
    this.socket.on('connect_error', this.#onConnectError);
    this.socket.on('sheet:update', this.#onSheet);
    this.socket.on('stage:update', this.#onStage);
    this.socket.on('control:update', this.#onControl);
    this.socket.on('presence:update', (update) => {
      this.presence = { ...this.presence, [update.eventId]: update.judges };
    });
    addEventListener('online', this.#onBrowserOnline);
    addEventListener('offline', this.#onBrowserOffline);
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    // The socket may have connected while the outbox was opening: catch up on that connect.
    if (this.socket.connected) this.#onConnect();
    else this.#sender.kick();
  }

  /** Disconnect and stop every timer (sign-out). */
  stop(): void {
    this.#stopped = true;
    this.#sender?.stop();
    this.#outbox?.close();
    clearInterval(this.#heartbeat);
    removeEventListener('online', this.#onBrowserOnline);
    removeEventListener('offline', this.#onBrowserOffline);
    this.socket.disconnect();
  }

  /** Switch the worklist to another event/round. */
  selectRound(eventId: string, roundId: string): void {
    this.eventId = eventId;
    this.roundId = roundId;
    this.lines = this.#cache.lines[this.#roundKey()] ?? [];
    void this.#loadSheets();
    this.#beat();
  }

  /** The worklist status of one contestant. */
  statusOf(line: JudgeSheetLine): LineStatus {
    const item = this.itemFor(line.contestantId);
    if (item?.state === 'failed') return 'failed';
    if (item !== undefined) return 'pending';
    if (line.locked) return 'locked';
    if (line.status === 'dns' || line.status === 'dnf' || line.status === 'dsq') return line.status;
    return Object.keys(line.myMarks).length > 0 ? 'saved' : 'to_mark';
  }

  /** The outbox items of a contestant in the chosen round, oldest first. */
  itemsFor(contestantId: string): OutboxItem[] {
    return this.items.filter((item) => {
      const p = item.command.payload;
      return p.contestantId === contestantId && p.eventId === this.eventId && p.roundId === this.roundId;
    });
  }

  /** A refused outbox item of a contestant if any (the judge must resolve it), else the newest one. */
  itemFor(contestantId: string): OutboxItem | undefined {
    const items = this.itemsFor(contestantId);
    return items.find((i) => i.state === 'failed') ?? items.at(-1);
  }

  /**
   * Queue the judge's marks for a contestant (written to IndexedDB first, then sent).
   * Returns a validation message when the payload is refused locally.
   */
  submit(contestantId: string, marks: Record<string, string>): Promise<string | null> {
    const canonical = Object.entries(marks).map(([id, mark]) => [id, canonicalMark(mark)]);
    const payload = {
      ...this.#target(contestantId),
      marks: Object.fromEntries(canonical) as Record<string, string>,
    };
    return this.#queue({ name: 'marks.submit', payload });
  }

  /** Chief judge: the value of a measured criterion. */
  enterMeasured(contestantId: string, criterionId: string, value: string): Promise<string | null> {
    const payload = { ...this.#target(contestantId), criterionId, value: canonicalMark(value) };
    return this.#queue({ name: 'measured.enter', payload });
  }

  /** Chief judge: deduct points with a reason (the deduction gets a fresh id). */
  addDeduction(contestantId: string, points: string, reason: string): Promise<string | null> {
    const deduction = { id: `d-${newOpId()}`, points: canonicalMark(points), reason: reason.trim() };
    return this.#queue({ name: 'deduction.add', payload: { ...this.#target(contestantId), deduction } });
  }

  /** Chief judge: take a deduction back, with a reason. */
  removeDeduction(contestantId: string, deductionId: string, reason: string): Promise<string | null> {
    const payload = { ...this.#target(contestantId), deductionId, reason: reason.trim() };
    return this.#queue({ name: 'deduction.remove', payload });
  }

  /** Chief judge: DNS / DNF / DSQ (with a reason), or back to a normal result ('ok'). */
  setOutcome(contestantId: string, outcome: Outcome, reason: string): Promise<string | null> {
    const trimmed = reason.trim();
    const payload = {
      ...this.#target(contestantId),
      outcome,
      ...(trimmed === '' ? {} : { reason: trimmed }),
    };
    return this.#queue({ name: 'outcome.set', payload });
  }

  /** Chief judge: lock a sheet against judges' changes, or unlock it. */
  lockSheet(contestantId: string, locked: boolean): Promise<string | null> {
    return this.#queue({ name: 'sheet.lock', payload: { ...this.#target(contestantId), locked } });
  }

  /** Chief judge: sign a result, or withdraw the signature (a reason is required then). */
  signSheet(contestantId: string, signed: boolean, reason?: string): Promise<string | null> {
    const payload = { ...this.#target(contestantId), signed, ...(reason === undefined ? {} : { reason }) };
    return this.#queue({ name: 'sheet.sign', payload });
  }

  /** Send a refused item again. */
  retry(opId: string): Promise<void> {
    return this.#sender?.retry(opId) ?? Promise.resolve();
  }

  /** Give up a refused item. */
  discard(opId: string): Promise<void> {
    return this.#sender?.discard(opId) ?? Promise.resolve();
  }

  /** The sheet a command of the chosen round addresses, with a fresh opId. */
  #target(contestantId: string) {
    return {
      opId: newOpId(),
      competitionId: this.session.competitionId,
      eventId: this.eventId,
      roundId: this.roundId,
      contestantId,
    };
  }

  /** Validate a command as the server will, then queue it; returns the problem when refused locally. */
  async #queue(command: QueuedCommand): Promise<string | null> {
    const parsed = commandSchemas[command.name].safeParse(command.payload);
    if (!parsed.success) return parsed.error.issues.map((i) => i.message).join('; ');
    if (this.#sender === null) return 'not ready';
    await this.#sender.enqueue(command);
    return null;
  }

  #roundKey(): string {
    return `${this.eventId}|${this.roundId}`;
  }

  /** Keep the chosen round if it still exists; otherwise the first open round, else the first. */
  #pickDefaultRound(): void {
    const event = this.events.find((e) => e.id === this.eventId) ?? this.events[0];
    if (event === undefined) return;
    const stillThere = event.id === this.eventId && event.rounds.some((r) => r.id === this.roundId);
    if (stillThere) return;
    const open = event.rounds.find((r) => this.control?.rounds[`${event.id}|${r.id}`] === 'open');
    this.eventId = event.id;
    this.roundId = (open ?? event.rounds[0])?.id ?? '';
  }

  #send(command: QueuedCommand): Promise<Ack<CommandResult>> {
    const timed = this.socket.timeout(ACK_TIMEOUT_MS);
    switch (command.name) {
      case 'marks.submit':
        return timed.emitWithAck('cmd:marks.submit', command.payload);
      case 'measured.enter':
        return timed.emitWithAck('cmd:measured.enter', command.payload);
      case 'deduction.add':
        return timed.emitWithAck('cmd:deduction.add', command.payload);
      case 'deduction.remove':
        return timed.emitWithAck('cmd:deduction.remove', command.payload);
      case 'outcome.set':
        return timed.emitWithAck('cmd:outcome.set', command.payload);
      case 'sheet.lock':
        return timed.emitWithAck('cmd:sheet.lock', command.payload);
      case 'sheet.sign':
        return timed.emitWithAck('cmd:sheet.sign', command.payload);
    }
  }

  /** Show what the server now holds (a sheet:update push follows and says the same). */
  #accepted(item: OutboxItem, result: CommandResult): void {
    const { command } = item;
    const p = command.payload;
    this.#updateLine(p.eventId, p.roundId, p.contestantId, (line) => {
      const next = { ...line, locked: result.sheet?.locked ?? line.locked };
      if (command.name !== 'marks.submit') return applyChiefCommand(next, command, result.sheet);
      const marks = Object.entries(command.payload.marks).map(([id, mark]) => [id, String(mark)]);
      return { ...next, myMarks: Object.fromEntries(marks) as Record<string, string> };
    });
  }

  #updateLine(
    eventId: string,
    roundId: string,
    contestantId: string,
    change: (line: JudgeSheetLine) => JudgeSheetLine,
  ): void {
    const key = `${eventId}|${roundId}`;
    const lines = this.#cache.lines[key];
    if (lines === undefined) return;
    const next = lines.map((l) => (l.contestantId === contestantId ? change(l) : l));
    this.#cache.lines[key] = next;
    writeCache(this.session.judge.id, this.#cache);
    if (key === this.#roundKey()) this.lines = next;
  }

  /** The worklist of the chosen round with its context; on a first start, the context to choose a round. */
  async #loadSheets(): Promise<void> {
    if (!this.socket.connected) return;
    if (this.roundId !== '') {
      const answer = await this.#requestSheets(this.eventId, this.roundId);
      // A round that no longer exists in the set-up: choose again below.
      if (answer !== 'not_found') return;
      this.roundId = '';
    }
    const eventId = this.judge.eventIds.includes(this.eventId) ? this.eventId : this.judge.eventIds[0];
    if (eventId === undefined || (await this.#requestSheets(eventId)) !== 'ok') return;
    this.#pickDefaultRound();
    if (this.roundId !== '') await this.#requestSheets(this.eventId, this.roundId);
  }

  /** One judge:sheets request: applies the set-up, round states, stages and (with a round) the lines. */
  async #requestSheets(eventId: string, roundId?: string): Promise<'ok' | 'not_found' | 'failed'> {
    const ack = await this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('judge:sheets', roundId === undefined ? { eventId } : { eventId, roundId })
      .catch(() => null);
    if (ack === null || this.#stopped) return 'failed';
    if (!ack.ok) return ack.code === 'not_found' ? 'not_found' : 'failed';
    this.competition = ack.competition;
    this.control = ack.control;
    this.stages = stagesFrom(ack.stages);
    this.#cache.competition = ack.competition;
    this.#cache.control = ack.control;
    this.#cache.stages = this.stages;
    if (roundId !== undefined) {
      const key = `${eventId}|${roundId}`;
      this.#cache.lines[key] = ack.lines;
      if (key === this.#roundKey()) this.lines = ack.lines;
    }
    writeCache(this.session.judge.id, this.#cache);
    this.loading = false;
    return 'ok';
  }

  #beat(): void {
    if (this.socket.connected && this.eventId !== '') {
      this.socket.emit('presence:heartbeat', { eventId: this.eventId });
    }
  }

  #expire(): void {
    if (this.expired) return;
    this.expired = true;
    this.onExpired();
  }

  #onConnect = (): void => {
    void (async () => {
      const who = await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('judge:whoami')
        .catch(() => null);
      if (who?.ok === true) this.judge = who.judge;
      await this.#loadSheets();
      this.#beat();
      this.#sender?.kick();
    })();
  };

  #onConnectError = (error: Error): void => {
    if (error.message === 'unauthorized') this.#expire();
  };

  #onSheet = (line: JudgeSheetLine): void => {
    const key = `${line.eventId}|${line.roundId}`;
    const lines = this.#cache.lines[key];
    if (lines === undefined) return;
    const known = lines.some((l) => l.contestantId === line.contestantId);
    const next = known
      ? lines.map((l) => (l.contestantId === line.contestantId ? line : l))
      : [...lines, line];
    this.#cache.lines[key] = next;
    writeCache(this.session.judge.id, this.#cache);
    if (key === this.#roundKey()) this.lines = next;
  };

  #onStage = (stage: StageState): void => {
    if (stage.competitionId !== this.session.competitionId) return;
    this.stages = withStage(this.stages, stage);
    this.#cache.stages = { ...this.stages };
    writeCache(this.session.judge.id, this.#cache);
  };

  #onControl = (control: PublicControl): void => {
    if (control.competitionId !== this.session.competitionId) return;
    // A draw or a decode changes how contestants are shown (drawn number or name): load them again.
    const redrawn = JSON.stringify(control.draws ?? {}) !== JSON.stringify(this.control?.draws ?? {});
    this.control = control;
    if (redrawn) void this.#loadSheets();
    this.#cache.control = control;
    writeCache(this.session.judge.id, this.#cache);
  };

  #onBrowserOnline = (): void => {
    this.browserOnline = true;
    this.#sender?.kick();
  };

  #onBrowserOffline = (): void => {
    this.browserOnline = false;
  };
}

function readCache(judgeId: string): Cache {
  try {
    const raw = localStorage.getItem(CACHE_PREFIX + judgeId);
    if (raw !== null) return JSON.parse(raw) as Cache;
  } catch {
    // A corrupt or blocked cache only costs the offline worklist.
  }
  return { competition: null, lines: {} };
}

function writeCache(judgeId: string, cache: Cache): void {
  // At most every 2 s and on pagehide (cacheWriter.ts); serialised when written.
  writeSoon(CACHE_PREFIX + judgeId, () => JSON.stringify(cache));
}
