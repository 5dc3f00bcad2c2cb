/**
 * The boundary every client frame crosses, on every namespace. One `socket.use` middleware sees
 * each frame before any handler — unknown event names and frames without an acknowledgement
 * included — and takes a token from the socket's bucket for that kind of event (socketBudgets.ts).
 * Handlers are registered through the guard (`request`, `notice`), which knows when their work
 * ends, so each socket has a bounded number of requests running and a bounded queue behind them.
 * A refused frame is answered `rate_limited` (when it asked for an acknowledgement) and counts as
 * a strike; the first strike of a streak also sends `limit:exceeded`; a socket that keeps
 * striking gets a last `limit:exceeded` and is disconnected. Memory per socket stays bounded
 * whatever a client sends: a frame is either refused at once, running, or in a bounded queue.
 */
import type { Socket } from 'socket.io';
import type { Ack, LimitNotice } from '../../shared/events.ts';
import type { Logger } from '../logger.ts';
import type { PodiumMetrics } from '../metrics.ts';
import { respond, type AckFn } from './respond.ts';
import {
  STRIKE_DRAIN_PER_SECOND,
  STRIKES_BEFORE_DISCONNECT,
  TokenBucket,
  type EventKind,
  type SocketBudgets,
} from './socketBudgets.ts';

export interface GuardDeps {
  budgets: SocketBudgets;
  logger: Logger;
  metrics: PodiumMetrics;
}

type Refusal = 'rate' | 'queue';

const MAX_EVENT_NAME_IN_NOTICE = 64;

/** The acknowledgement function socket.io appended to a frame's arguments, if the client asked for one. */
function ackIn(args: readonly unknown[]): AckFn | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as AckFn) : undefined;
}

/**
 * A registered event: its kind, and what to run for a frame of `guard`'s socket (the frame's
 * arguments without the acknowledgement). Made per socket by `request`/`notice`, or once per
 * namespace by `requestHandler`/`noticeHandler` and shared by every socket (sharedHandlers in
 * handlerTable.ts).
 */
export interface GuardHandler {
  kind: EventKind;
  run(guard: SocketGuard, args: unknown[], ack: AckFn | undefined): Promise<void>;
}

/** A request handler for any socket: `work`'s result (or error) is acknowledged through respond.ts. */
export function requestHandler<T extends object>(
  event: string,
  kind: EventKind,
  work: (socket: Socket, args: unknown[]) => Promise<T>,
  answered?: (socket: Socket, response: Ack<T>) => void,
): GuardHandler {
  return {
    kind,
    async run(guard, args, ack) {
      const response = await respond(ack ?? (() => undefined), guard.deps.logger, guard.context(event), () =>
        work(guard.socket, args),
      );
      answered?.(guard.socket, response);
    },
  };
}

/** A notice handler for any socket (no acknowledgement; errors are logged). */
export function noticeHandler(
  event: string,
  kind: EventKind,
  work: (socket: Socket, args: unknown[]) => Promise<void> | void,
): GuardHandler {
  return {
    kind,
    async run(guard, args) {
      try {
        await work(guard.socket, args);
      } catch (err) {
        guard.deps.logger.warn({ err, ...guard.context(event) }, 'socket notice failed');
      }
    },
  };
}

/**
 * Limits one socket; create it first thing in the namespace's connection handler.
 *
 * Memory: a spectator's socket lives for hours and a process holds thousands, so the guard keeps
 * no listener per event on the socket (the middleware that counts a frame also dispatches it), a
 * namespace can pass handlers made once and shared by all its sockets (`shared`), and a kind's
 * token bucket and queue are made only when a frame of that kind first arrives.
 */
export class SocketGuard {
  /** Handlers registered on this socket alone (`request`, `notice`). */
  private own: Map<string, GuardHandler> | undefined;
  private readonly buckets: Partial<Record<EventKind, TokenBucket>> = {};
  private readonly running: Partial<Record<EventKind, number>> = {};
  private readonly waiting: Partial<Record<EventKind, Array<() => void>>> = {};
  private strikes = 0;
  private strikesAt = 0;
  private closed = false;

  constructor(
    readonly socket: Socket,
    private readonly namespace: string,
    readonly deps: GuardDeps,
    private readonly shared?: ReadonlyMap<string, GuardHandler>,
  ) {
    socket.use((packet, next) => this.admit(packet, next));
    socket.once('disconnect', () => {
      this.closed = true;
      for (const queue of Object.values(this.waiting)) queue.length = 0;
    });
  }

  /** What log lines about this socket's `event` carry. */
  context(event: string): Record<string, unknown> {
    return { ns: this.namespace, socket: this.socket.id, event };
  }

  /**
   * Handle `event` as a request: `work` gets the frame's arguments without the acknowledgement
   * and its result (or error) is acknowledged through respond.ts; `answered` sees the answer.
   */
  request<T extends object>(
    event: string,
    kind: EventKind,
    work: (args: unknown[]) => Promise<T>,
    answered?: (response: Ack<T>) => void,
  ): void {
    this.register(
      event,
      requestHandler(
        event,
        kind,
        (_socket, args) => work(args),
        answered && ((_socket, response) => answered(response)),
      ),
    );
  }

  /** Handle `event` as a notice (no acknowledgement); `work` may be async, errors are logged. */
  notice(event: string, kind: EventKind, work: (args: unknown[]) => Promise<void> | void): void {
    this.register(
      event,
      noticeHandler(event, kind, (_socket, args) => work(args)),
    );
  }

  private register(event: string, handler: GuardHandler): void {
    (this.own ??= new Map()).set(event, handler);
  }

  /**
   * The middleware: count the frame against its kind's rate, then run its handler (an event
   * nothing handles stops here). The frame never reaches socket.io's own listeners: none are
   * registered, the handlers live in this guard.
   */
  private admit(packet: unknown[], _next: (err?: Error) => void): void {
    if (this.closed) return;
    const event = packet[0];
    const handler = typeof event === 'string' ? (this.own?.get(event) ?? this.shared?.get(event)) : undefined;
    const kind = handler?.kind ?? 'unknown';
    const name = String(event).slice(0, MAX_EVENT_NAME_IN_NOTICE);
    const ack = ackIn(packet);
    if (!this.bucket(kind).take()) {
      this.refuse(kind, name, ack, 'rate');
      return;
    }
    // An event nothing handles is dropped unanswered, as Socket.IO would (a /public socket learns
    // nothing about which write events exist elsewhere); only its rate is counted.
    if (handler === undefined || !this.socket.connected) return;
    const args = packet.slice(1, ack === undefined ? undefined : -1);
    this.schedule(kind, name, ack, () => handler.run(this, args, ack));
  }

  /** The kind's token bucket, made on the kind's first frame. */
  private bucket(kind: EventKind): TokenBucket {
    const budget = this.deps.budgets[kind];
    return (this.buckets[kind] ??= new TokenBucket(budget.perSecond, budget.burst));
  }

  /** Run `task` now if a slot of its kind is free, else queue it; a full queue refuses it. */
  private schedule(kind: EventKind, event: string, ack: AckFn | undefined, task: () => Promise<void>): void {
    if (this.closed) return;
    const start = (): void => {
      this.running[kind] = (this.running[kind] ?? 0) + 1;
      void task().finally(() => {
        this.running[kind] = (this.running[kind] ?? 1) - 1;
        const queued = this.waiting[kind]?.shift();
        if (queued !== undefined && !this.closed) queued();
      });
    };
    const budget = this.deps.budgets[kind];
    const waiting = (this.waiting[kind] ??= []);
    if ((this.running[kind] ?? 0) < budget.inFlight) start();
    else if (waiting.length < budget.queue) waiting.push(start);
    else this.refuse(kind, event, ack, 'queue');
  }

  /** Answer `rate_limited`, count a strike, warn on the first of a streak, disconnect past the limit. */
  private refuse(kind: EventKind, event: string, ack: AckFn | undefined, reason: Refusal): void {
    this.deps.metrics.socketLimited.inc({ namespace: this.namespace, kind, reason });
    const now = Date.now();
    const drained = Math.max(0, this.strikes - ((now - this.strikesAt) * STRIKE_DRAIN_PER_SECOND) / 1000);
    this.strikes = drained + 1;
    this.strikesAt = now;
    const retryAfterMs = Math.max(reason === 'rate' ? this.bucket(kind).waitMs() : 0, 1_000);
    const message = `Too many ${kind} requests on this connection: slow down and retry after ${retryAfterMs} ms`;
    ack?.({ ok: false, code: 'rate_limited', message });
    if (this.strikes > STRIKES_BEFORE_DISCONNECT) {
      this.disconnect(event, kind, retryAfterMs);
      return;
    }
    if (drained < 1) this.tell({ code: 'rate_limited', event, message, retryAfterMs, disconnecting: false });
  }

  private disconnect(event: string, kind: EventKind, retryAfterMs: number): void {
    if (this.closed) return;
    this.closed = true;
    const waitMs = Math.max(retryAfterMs, 5_000);
    this.tell({
      code: 'rate_limited',
      event,
      message: `Too many requests on this connection: disconnected; reconnect after ${waitMs} ms at the earliest`,
      retryAfterMs: waitMs,
      disconnecting: true,
    });
    this.deps.metrics.socketLimited.inc({ namespace: this.namespace, kind, reason: 'disconnect' });
    this.deps.logger.warn({ ...this.context(event), kind }, 'socket disconnected: too many requests');
    stopReading(this.socket);
    this.socket.disconnect(true);
  }

  /**
   * Send `limit:exceeded` straight down this connection. socket.emit would not do: with
   * connection state recovery on, it goes through the adapter (Redis) and arrives after the
   * disconnect. The frame is a Socket.IO v5 EVENT packet ("2", namespace, JSON array), which
   * engine.io's public write() wraps as a message.
   */
  private tell(notice: LimitNotice): void {
    const nsp = this.socket.nsp.name === '/' ? '' : `${this.socket.nsp.name},`;
    this.socket.conn.write(`2${nsp}${JSON.stringify(['limit:exceeded', notice])}`);
  }
}

/**
 * How long a cut-off WebSocket stays open, unread, before it is dropped. Dropping it with unread
 * data sends a TCP reset, and a reset makes the client's kernel discard what it had not read yet —
 * the last acks, the notice and the disconnect. A client busy sending (a tight retry loop) reads
 * late, so give it time; the open socket costs only kernel buffers.
 */
const SEVER_AFTER_MS = 10_000;

/**
 * Stop reading a WebSocket connection at once, and drop it later. A graceful close would go on
 * parsing every frame the client already sent (a flood queues hundreds of thousands) until the
 * client's close frame arrives behind them; paused, the kernel holds them and the client's window
 * closes. Long-polling needs nothing: each request body is bounded and its session ends.
 * Reaches into engine.io's transport (`transport.socket` is the `ws` WebSocket, whose pause() and
 * terminate() are public) — checked at run time, so a change there only loses this shortcut.
 */
function stopReading(socket: Socket): void {
  const transport: unknown = socket.conn.transport;
  if (typeof transport !== 'object' || transport === null) return;
  const { name, socket: ws } = transport as { name?: unknown; socket?: unknown };
  if (name !== 'websocket' || typeof ws !== 'object' || ws === null) return;
  const { pause, terminate } = ws as { pause?: unknown; terminate?: unknown };
  if (typeof pause !== 'function' || typeof terminate !== 'function') return;
  pause.call(ws);
  setTimeout(() => terminate.call(ws), SEVER_AFTER_MS).unref();
}
