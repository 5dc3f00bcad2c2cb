/**
 * Typed Socket.IO clients for the three namespaces of shared/events.ts, and a reactive view of
 * each socket's connection state. WebSocket is tried first (long-polling only as a fallback for
 * networks that block it); reconnection never gives up — a big screen must heal by itself.
 */
import { io, type Socket } from 'socket.io-client';
import { createSubscriber } from 'svelte/reactivity';
import type {
  Ack,
  AdminClientToServer,
  AdminServerToClient,
  ErrorCode,
  JudgeClientToServer,
  JudgeServerToClient,
  LimitNotice,
  PublicClientToServer,
  PublicServerToClient,
} from '../../../shared/events.ts';

export type PublicSocket = Socket<PublicServerToClient, PublicClientToServer>;
export type JudgeSocket = Socket<JudgeServerToClient, JudgeClientToServer>;
export type AdminSocket = Socket<AdminServerToClient, AdminClientToServer>;

export interface ConnectOptions {
  /** Server origin; defaults to the page's own origin. */
  origin?: string;
}

function connect(namespace: string, options: ConnectOptions, auth?: { token: string }): Socket {
  const url = `${options.origin ?? ''}${namespace}`;
  const socket = io(url, {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    randomizationFactor: 0.5,
    ...(auth === undefined ? {} : { auth }),
  });
  // Cut off for sending too much (docs/API.md, "Limits per connection"): a server disconnect is
  // not retried by Socket.IO, so come back once the wait the server asked for has passed.
  socket.on('limit:exceeded', (notice: LimitNotice) => {
    if (notice.disconnecting) setTimeout(() => socket.connect(), notice.retryAfterMs);
  });
  return socket;
}

/** A read-only socket on /public for landing, big screen, spectators and overlays. */
export function connectPublic(options: ConnectOptions = {}): PublicSocket {
  return connect('/public', options);
}

/** A judge's socket on /judge, authenticated with the sign-in token. */
export function connectJudge(token: string, options: ConnectOptions = {}): JudgeSocket {
  return connect('/judge', options, { token });
}

/** An organiser's socket on /admin, authenticated with the sign-in token. */
export function connectAdmin(token: string, options: ConnectOptions = {}): AdminSocket {
  return connect('/admin', options, { token });
}

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A socket's connection state; reading `status` inside a component or effect is reactive. */
export interface Connection {
  readonly status: ConnectionStatus;
  /** When the status last changed (ms since the epoch). */
  readonly since: number;
  /** Last connect error message (e.g. "unauthorized"), null when connected. */
  readonly error: string | null;
}

const connections = new WeakMap<Socket, Connection>();

/** The reactive connection state of a socket (one shared object per socket). */
export function connectionOf(socket: Socket): Connection {
  const known = connections.get(socket);
  if (known !== undefined) return known;
  let status: ConnectionStatus = socket.connected ? 'online' : 'connecting';
  let since = Date.now();
  let error: string | null = null;
  // Listeners stay attached for the socket's life so the state is right whenever it is read;
  // createSubscriber only tells whoever is rendering it that it changed.
  let notify: (() => void) | null = null;
  const set = (next: ConnectionStatus, message: string | null = null): void => {
    if (next !== status) since = Date.now();
    status = next;
    error = message;
    notify?.();
  };
  socket.on('connect', () => set('online'));
  socket.on('disconnect', () => set('reconnecting'));
  socket.on('connect_error', (err: Error) => set(socket.active ? 'reconnecting' : 'offline', err.message));
  socket.io.on('reconnect_failed', () => set('offline'));
  const subscribe = createSubscriber((update) => {
    notify = update;
    return () => {
      notify = null;
    };
  });
  const connection: Connection = {
    get status() {
      subscribe();
      return status;
    },
    get since() {
      subscribe();
      return since;
    },
    get error() {
      subscribe();
      return error;
    },
  };
  connections.set(socket, connection);
  return connection;
}

/** A refused request, carrying the server's stable error code. */
export class AckError extends Error {
  constructor(
    readonly code: ErrorCode | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'AckError';
  }
}

/** The payload of a successful acknowledgement, or throws AckError with the server's code. */
export function unwrap<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new AckError(ack.code, ack.message);
  return ack;
}

/** Default wait for an acknowledgement before treating the request as lost. */
export const ACK_TIMEOUT_MS = 8_000;
