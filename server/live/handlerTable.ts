/**
 * Typed handler tables: a namespace lists one handler per client → server event of its contract
 * (shared/events.ts), and a request handler's result type is the event's acknowledgement type, so
 * a missing handler or a wrong ack fails the type check. `serve` registers a table through the
 * socket's guard (socketGuard.ts), which limits, runs and acknowledges.
 */
import type { Ack, AckCallback } from '../../shared/events.ts';
import type { Socket } from 'socket.io';
import type { EventKind } from './socketBudgets.ts';
import { noticeHandler, requestHandler, type GuardHandler, type SocketGuard } from './socketGuard.ts';

/** What the acknowledgement of an event carries besides `ok: true`; never for an event without one. */
export type AckResultOf<F> = F extends (...args: infer A) => void
  ? A extends [...unknown[], AckCallback<infer T>]
    ? T
    : never
  : never;

/** Events that expect an acknowledgement. */
export type RequestEventOf<Events> = {
  [E in keyof Events]: [AckResultOf<Events[E]>] extends [never] ? never : E;
}[keyof Events];

/** Events without an acknowledgement. */
export type NoticeEventOf<Events> = Exclude<keyof Events, RequestEventOf<Events>>;

/** A request: `run` gets the frame's payload (unknown: it parses it) and resolves with the ack. */
export interface RequestHandler<T> {
  kind: EventKind;
  run(payload: unknown): Promise<T>;
  /** Sees every answer, accepted or refused (metrics, disconnecting an ended session). */
  answered?(response: Ack<T>): void;
}

/** A notice: no acknowledgement; errors are logged. */
export interface NoticeHandler {
  kind: EventKind;
  notice(payload: unknown): Promise<void> | void;
}

/** One handler for every client → server event of `Events`. */
export type HandlerTable<Events> = {
  [E in RequestEventOf<Events>]: RequestHandler<AckResultOf<Events[E]>>;
} & { [E in NoticeEventOf<Events>]: NoticeHandler };

/** Register every handler of `table` on the guard's socket. */
export function serve<Events>(guard: SocketGuard, table: HandlerTable<Events>): void {
  for (const [event, handler] of Object.entries(table) as Array<
    [string, RequestHandler<object> | NoticeHandler]
  >) {
    if ('run' in handler) {
      guard.request(
        event,
        handler.kind,
        ([payload]) => handler.run(payload),
        handler.answered?.bind(handler),
      );
    } else {
      guard.notice(event, handler.kind, ([payload]) => handler.notice(payload));
    }
  }
}

/** A request handler shared by every socket of a namespace: it is told which socket asked. */
export interface SharedRequestHandler<T, S> {
  kind: EventKind;
  run(socket: S, payload: unknown): Promise<T>;
  answered?(socket: S, response: Ack<T>): void;
}

/** A notice handler shared by every socket of a namespace. */
export interface SharedNoticeHandler<S> {
  kind: EventKind;
  notice(socket: S, payload: unknown): Promise<void> | void;
}

/** One shared handler for every client → server event of `Events`, on sockets of type `S`. */
export type SharedHandlerTable<Events, S> = {
  [E in RequestEventOf<Events>]: SharedRequestHandler<AckResultOf<Events[E]>, S>;
} & { [E in NoticeEventOf<Events>]: SharedNoticeHandler<S> };

/**
 * The handlers of `table`, made once for a namespace and passed to every socket's guard
 * (`new SocketGuard(socket, ns, deps, handlers)`): nothing per event is allocated per socket,
 * which matters where a process holds thousands of sockets (/public).
 */
export function sharedHandlers<Events, S extends Socket>(
  table: SharedHandlerTable<Events, S>,
): ReadonlyMap<string, GuardHandler> {
  const handlers = new Map<string, GuardHandler>();
  for (const [event, handler] of Object.entries(table) as Array<
    [string, SharedRequestHandler<object, S> | SharedNoticeHandler<S>]
  >) {
    // The guard runs a namespace's handlers only for that namespace's sockets, which are `S`.
    if ('run' in handler) {
      handlers.set(
        event,
        requestHandler(
          event,
          handler.kind,
          (socket, [payload]) => handler.run(socket as S, payload),
          handler.answered && ((socket, response) => handler.answered?.(socket as S, response)),
        ),
      );
    } else {
      handlers.set(
        event,
        noticeHandler(event, handler.kind, (socket, [payload]) => handler.notice(socket as S, payload)),
      );
    }
  }
  return handlers;
}
