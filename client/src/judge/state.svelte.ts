/**
 * The judge tablet's live state: the signed-in judge, the worklist of the chosen event and round,
 * who is on stage, and the outbox. Everything the judge entered is in the outbox until the server
 * acknowledges it; the worklist says "saved" only for marks the server holds.
 */
import { submitMarksSchema } from '../../../shared/commands.ts';
import type {
  Ack,
  CommandResult,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  StageState,
} from '../../../shared/events.ts';
import type { ContestEvent } from '../../../shared/model.ts';
import {
  ACK_TIMEOUT_MS,
  connectJudge,
  connectionOf,
  connectPublic,
  type Connection,
  type JudgeSocket,
} from '../lib/socket.ts';
import type { StoredSession } from './auth.ts';
import { canonicalMark } from './marks.ts';
import { newOpId, openOutbox, type Outbox, type OutboxItem, type QueuedCommand } from './outbox.ts';
import { OutboxSender } from './sender.ts';

export type LineStatus = 'to_mark' | 'saved' | 'pending' | 'failed' | 'locked' | 'dns' | 'dnf' | 'dsq';

const HEARTBEAT_MS = 5_000;
const CACHE_PREFIX = 'podium.judge.cache.';

/** What is cached per judge so the worklist shows while the server cannot be reached. */
interface Cache {
  competition: PublicCompetition | null;
  lines: Record<string, JudgeSheetLine[]>;
}

export class JudgeApp {
  competition = $state.raw<PublicCompetition | null>(null);
  control = $state.raw<PublicControl | null>(null);
  eventId = $state('');
  roundId = $state('');
  /** This judge's worklist lines for the chosen event and round. */
  lines = $state.raw<JudgeSheetLine[]>([]);
  /** eventId → stage. */
  stages = $state.raw<Record<string, StageState>>({});
  /** The judge's outbox, oldest first. */
  items = $state.raw<OutboxItem[]>([]);
  /** The browser's own idea of the network (navigator.onLine). */
  browserOnline = $state(true);
  /** The session token was refused: the judge must sign in again. */
  expired = $state(false);
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
    const stage = this.stages[this.eventId];
    if (stage !== undefined && stage.roundId === this.roundId) return stage.contestantId;
    return this.lines.find((l) => l.status === 'on_stage')?.contestantId ?? null;
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

  /** The newest outbox item for a contestant in the chosen round. */
  itemFor(contestantId: string): OutboxItem | undefined {
    let found: OutboxItem | undefined;
    for (const item of this.items) {
      const p = item.command.payload;
      if (p.contestantId === contestantId && p.eventId === this.eventId && p.roundId === this.roundId)
        found = item;
    }
    return found;
  }

  /**
   * Queue the judge's marks for a contestant (written to IndexedDB first, then sent).
   * Returns a validation message when the payload is refused locally.
   */
  async submit(contestantId: string, marks: Record<string, string>): Promise<string | null> {
    const payload = {
      opId: newOpId(),
      competitionId: this.session.competitionId,
      eventId: this.eventId,
      roundId: this.roundId,
      contestantId,
      marks: Object.fromEntries(Object.entries(marks).map(([id, mark]) => [id, canonicalMark(mark)])),
    };
    const parsed = submitMarksSchema.safeParse(payload);
    if (!parsed.success) return parsed.error.issues.map((i) => i.message).join('; ');
    if (this.#sender === null) return 'not ready';
    await this.#sender.enqueue({ name: 'marks.submit', payload });
    return null;
  }

  /** Send a refused item again. */
  retry(opId: string): Promise<void> {
    return this.#sender?.retry(opId) ?? Promise.resolve();
  }

  /** Give up a refused item. */
  discard(opId: string): Promise<void> {
    return this.#sender?.discard(opId) ?? Promise.resolve();
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
    }
  }

  #accepted(item: OutboxItem, result: CommandResult): void {
    if (item.command.name !== 'marks.submit') return;
    const p = item.command.payload;
    const marks = Object.fromEntries(Object.entries(p.marks).map(([id, mark]) => [id, String(mark)]));
    this.#updateLine(p.eventId, p.roundId, p.contestantId, (line) => ({
      ...line,
      myMarks: marks,
      locked: result.sheet?.locked ?? line.locked,
    }));
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

  async #loadSheets(): Promise<void> {
    if (!this.socket.connected || this.eventId === '' || this.roundId === '') return;
    const key = this.#roundKey();
    const ack = await this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('judge:sheets', { eventId: this.eventId, roundId: this.roundId })
      .catch(() => null);
    if (ack === null || !ack.ok || this.#stopped) return;
    this.competition = ack.competition;
    this.#cache.competition = ack.competition;
    this.#cache.lines[key] = ack.lines;
    writeCache(this.session.judge.id, this.#cache);
    if (key === this.#roundKey()) this.lines = ack.lines;
    this.loading = false;
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
      await this.#watchPublic();
      this.#pickDefaultRound();
      await this.#loadSheets();
      this.#beat();
      this.#sender?.kick();
    })();
  };

  /**
   * The /judge namespace pushes stage and control changes but has no initial state for them, and
   * the sheet list needs a round id: one public watch request gives the set-up, the round states
   * and the stages.
   */
  async #watchPublic(): Promise<void> {
    const socket = connectPublic();
    try {
      const ack = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('competition:watch', { competitionId: this.session.competitionId });
      if (!ack.ok || this.#stopped) return;
      this.competition = ack.competition;
      this.control = ack.control;
      this.stages = Object.fromEntries(ack.stages.map((s: StageState) => [s.eventId, s]));
      this.#cache.competition = ack.competition;
      writeCache(this.session.judge.id, this.#cache);
    } catch {
      // Without it the cached set-up is used; the next reconnect tries again.
    } finally {
      socket.disconnect();
    }
  }

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
    this.stages = { ...this.stages, [stage.eventId]: stage };
  };

  #onControl = (control: PublicControl): void => {
    if (control.competitionId === this.session.competitionId) this.control = control;
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
  try {
    localStorage.setItem(CACHE_PREFIX + judgeId, JSON.stringify(cache));
  } catch {
    // Storage full or blocked: the live worklist still works.
  }
}
