/**
 * The Socket.IO server: three typed namespaces, small messages, exact origin allow-list (checked
 * on every handshake and on every later HTTP request and upgrade of a session — cross-site
 * WebSocket hijacking), connection state recovery that still re-runs authentication, and the
 * Cluster's Socket.IO adapter across nodes (server/cluster: Redis Streams with Redis). Board deltas bypass the adapter: every node hears every commit and emits them to its own
 * sockets (broadcaster.ts, docs/DEPLOY.md "Board deltas do not go through the adapter").
 */
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { Server, type Namespace, type ServerOptions, type Socket } from 'socket.io';
import type {
  AdminClientToServer,
  AdminServerToClient,
  JudgeClientToServer,
  JudgeServerToClient,
  PublicClientToServer,
  PublicServerToClient,
} from '../../shared/events.ts';
import type { SocketData } from './session.ts';

/** Largest message a client may send (a mark sheet is well under 2 KB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface PodiumIo {
  server: Server;
  public: Namespace<PublicClientToServer, PublicServerToClient, Record<string, never>, SocketData>;
  judge: Namespace<JudgeClientToServer, JudgeServerToClient, Record<string, never>, SocketData>;
  admin: Namespace<AdminClientToServer, AdminServerToClient, Record<string, never>, SocketData>;
}

/** A socket of /public. */
export type PublicSocket = Socket<
  PublicClientToServer,
  PublicServerToClient,
  Record<string, never>,
  SocketData
>;

/** True when the request carries no Origin (not a browser) or an allowed one. */
export function originAllowed(allowed: ReadonlySet<string>, origin: string | undefined): boolean {
  return origin === undefined || allowed.has(origin);
}

/**
 * An Engine.IO middleware (run on every HTTP request and upgrade of /socket.io/) answering 403
 * to a request from an origin that is not allowed.
 */
export function refuseForeignOrigin(allowed: ReadonlySet<string>) {
  return (req: IncomingMessage, res: ServerResponse, next: (err?: Error) => void): void => {
    if (originAllowed(allowed, req.headers.origin)) {
      next();
      return;
    }
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code: 4, message: 'origin not allowed' }));
  };
}

/**
 * The last Engine.IO middleware: on a WebSocket upgrade, drop the response stand-in's reference to
 * the HTTP request once the middlewares are done with it. engine.io wraps an upgrade in a
 * `WebSocketResponse` (for middlewares) that a 'close' listener on the TCP socket keeps alive for
 * the connection's whole life, and with it the request (headers, raw headers, parser state):
 * ~1.2 KB per spectator that nothing reads after the handshake (bench:viewer-memory). A plain HTTP
 * response (long-polling) is left alone.
 */
export function releaseUpgradeRequest(
  _req: IncomingMessage,
  res: ServerResponse,
  next: (err?: Error) => void,
): void {
  next();
  if (!(res instanceof ServerResponse) && 'req' in res) (res as { req: unknown }).req = null;
}

/** Attach Socket.IO to `httpServer`; with an `adapter` (Cluster.socketAdapter) every namespace shares state across nodes. */
export function createIo(
  httpServer: HttpServer | HttpsServer,
  allowedOrigins: readonly string[],
  adapter?: ServerOptions['adapter'],
): PodiumIo {
  const allowed = new Set(allowedOrigins);
  const server = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
    cors: {
      origin: (origin, callback) => callback(null, originAllowed(allowed, origin)),
      methods: ['GET', 'POST'],
      credentials: false,
    },
    allowRequest: (req: IncomingMessage, callback) => {
      const origin = req.headers.origin;
      if (originAllowed(allowed, origin)) callback(null, true);
      else callback('origin not allowed', false);
    },
    connectionStateRecovery: {
      maxDisconnectionDuration: 2 * 60 * 1000,
      // Recovered /judge and /admin sockets must prove their session again: a judge code
      // revoked while the tablet was offline must not come back through recovery.
      skipMiddlewares: false,
    },
    ...(adapter ? { adapter } : {}),
  });
  // allowRequest runs only on a session's first request. Every later one — long-polling GETs and
  // POSTs, and the upgrade of a polling session to WebSocket — carries the session id and must
  // come from an allowed origin too, or a page elsewhere that learnt a sid could read and write
  // through it (issue #12).
  server.engine.use(refuseForeignOrigin(allowed));
  // Registered last: no middleware runs after it.
  server.engine.use(releaseUpgradeRequest);
  // Engine.IO keeps each session's first HTTP request (headers, parser state) for its whole life:
  // several KB per spectator. Nothing here reads it after the handshake (origin is checked in
  // allowRequest, tokens come from the auth payload), so let it go, as the Socket.IO docs suggest
  // ("Memory usage"). socket.handshake.headers is then empty; do not rely on it.
  server.engine.on('connection', (raw: { request: unknown }) => {
    raw.request = null;
  });
  return {
    server,
    // Socket.IO types each namespace from the server's generic; ours are typed per namespace.
    public: server.of('/public') as unknown as PodiumIo['public'],
    judge: server.of('/judge') as unknown as PodiumIo['judge'],
    admin: server.of('/admin') as unknown as PodiumIo['admin'],
  };
}
