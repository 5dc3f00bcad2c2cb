/**
 * Sends the outbox, oldest first, one item at a time so that a revision never overtakes the mark
 * it replaces. An item leaves the outbox only on the server's ok ack. Timeouts and transient
 * errors keep it pending and retry with backoff; a refusal (e.g. sheet_locked) marks it failed
 * and leaves it for the judge to resolve.
 */
import type { Ack, CommandResult, ErrorCode } from '../../../shared/events.ts';
import type { Outbox, OutboxItem, QueuedCommand } from './outbox.ts';

/** Error codes worth retrying as they are: the server was busy, briefly unable, or restoring the competition. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'unavailable',
  'rate_limited',
  'internal',
  'restoring',
]);

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

export interface SenderOptions {
  outbox: Outbox;
  judgeId: string;
  /** Emit the command and resolve with its ack; reject on timeout or lost connection. */
  send(command: QueuedCommand): Promise<Ack<CommandResult>>;
  /** False while the tablet is offline or the socket is not connected: nothing is tried. */
  canSend(): boolean;
  /** The judge's current outbox, after every change. */
  onChange(items: OutboxItem[]): void;
  /** The server accepted an item (ok ack, possibly a duplicate of an earlier send). */
  onAccepted(item: OutboxItem, result: CommandResult): void;
  /** The session token is no longer valid: items stay pending until the judge signs in again. */
  onUnauthorized(): void;
  /**
   * Why items are waiting although the tablet is connected: the server could not save
   * ('unavailable': its store did not answer, the item is not known to be saved and is resent with
   * the same opId), no answer came ('timeout'), or null once an item is accepted again.
   */
  onServerTrouble?(trouble: ServerTrouble | null): void;
}

/** Why a connected tablet's items are still waiting. */
export type ServerTrouble = 'unavailable' | 'timeout';

export class OutboxSender {
  private running = false;
  private rerun = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = FIRST_RETRY_MS;
  private stopped = false;

  constructor(private readonly options: SenderOptions) {}

  /** Queue a new command durably, then try to send it. */
  async enqueue(command: QueuedCommand): Promise<void> {
    const item: OutboxItem = {
      opId: command.payload.opId,
      judgeId: this.options.judgeId,
      command,
      createdAt: Date.now(),
      attempts: 0,
      state: 'pending',
    };
    await this.options.outbox.put(item);
    await this.publish();
    this.kick();
  }

  /** Drop an item the judge decided not to send (typically a refused one). */
  async discard(opId: string): Promise<void> {
    await this.options.outbox.remove(opId);
    await this.publish();
  }

  /** Put a refused item back in the queue (e.g. after the round was reopened). */
  async retry(opId: string): Promise<void> {
    const item = (await this.options.outbox.list(this.options.judgeId)).find((i) => i.opId === opId);
    if (item === undefined) return;
    const { error: _error, ...rest } = item;
    await this.options.outbox.put({ ...rest, state: 'pending' });
    await this.publish();
    this.kick();
  }

  /** Start a flush now (connection came back, page loaded, …); errors are reported, never thrown. */
  kick(): void {
    this.flush().catch((error: unknown) => {
      console.error('outbox flush failed', error);
      this.scheduleRetry();
    });
  }

  /** Stop retrying (sign-out, page teardown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  /** Report the current items to the UI. */
  async publish(): Promise<void> {
    this.options.onChange(await this.options.outbox.list(this.options.judgeId));
  }

  private async flush(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.rerun = false;
        await this.sendPending();
      } while (this.rerun && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  private async sendPending(): Promise<void> {
    const { outbox, judgeId } = this.options;
    for (const item of await outbox.list(judgeId)) {
      if (this.stopped || !this.options.canSend()) return;
      if (item.state !== 'pending') continue;
      const sent: OutboxItem = { ...item, attempts: item.attempts + 1 };
      await outbox.put(sent);
      let ack: Ack<CommandResult>;
      try {
        ack = await this.options.send(sent.command);
      } catch {
        // Timeout or disconnect: the server may or may not have it; the same opId makes a resend safe.
        if (this.options.canSend()) this.options.onServerTrouble?.('timeout');
        this.scheduleRetry();
        return;
      }
      if (ack.ok) {
        await outbox.remove(sent.opId);
        this.retryDelay = FIRST_RETRY_MS;
        this.options.onServerTrouble?.(null);
        this.options.onAccepted(sent, ack);
      } else if (TRANSIENT.has(ack.code)) {
        // 'unavailable': not known to be saved; the item stays in the outbox and goes again, same opId.
        if (ack.code !== 'rate_limited') this.options.onServerTrouble?.('unavailable');
        this.scheduleRetry();
        return;
      } else if (ack.code === 'unauthorized') {
        this.options.onUnauthorized();
        return;
      } else {
        await outbox.put({ ...sent, state: 'failed', error: { code: ack.code, message: ack.message } });
      }
      await this.publish();
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.kick(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
  }
}
