/**
 * Authentication of /judge and /admin sockets: the handshake token becomes an actor, and every
 * message checks again that the session still stands (a revoked judge code stops writes within
 * SESSION_CACHE_MS).
 */
import type { Socket } from 'socket.io';
import type { Actor } from '../domain/actor.ts';
import type { AuthService } from '../auth/types.ts';
import { PodiumError } from '../domain/errors.ts';

/** How long a positive session check is trusted before asking the auth layer again. */
export const SESSION_CACHE_MS = 1_000;

export interface SocketSession {
  actor: Actor;
  checkedAt: number;
}

/**
 * Session tokens by socket. Not on socket.data: the Redis adapter persists socket.data for
 * connection state recovery, and no store may hold a token in clear.
 */
const tokens = new WeakMap<Socket, string>();

/** What Podium keeps on socket.data. */
export interface SocketData {
  session?: SocketSession;
}

type ActorKind = Actor['kind'];

/**
 * A Socket.IO middleware admitting only sockets whose `auth.token` names an actor of `kinds`.
 * Runs on every connection, recovered ones included (the server sets skipMiddlewares: false).
 */
export function requireSession(auth: AuthService, kinds: readonly ActorKind[]) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) {
      next(new Error('unauthorized'));
      return;
    }
    auth.actorForToken(token).then(
      (actor) => {
        if (!actor || !kinds.includes(actor.kind)) {
          next(new Error('unauthorized'));
          return;
        }
        tokens.set(socket, token);
        (socket.data as SocketData).session = { actor, checkedAt: Date.now() };
        next();
      },
      () => next(new Error('unavailable')),
    );
  };
}

/**
 * The socket's actor if its session still stands; otherwise throws PodiumError('unauthorized').
 * The caller disconnects the socket on that error.
 */
export async function currentActor(socket: Socket, auth: AuthService): Promise<Actor> {
  const session = (socket.data as SocketData).session;
  const token = tokens.get(socket);
  if (!session || token === undefined) throw new PodiumError('unauthorized', 'Not signed in');
  if (Date.now() - session.checkedAt < SESSION_CACHE_MS) return session.actor;
  const actor = await auth.actorForToken(token);
  if (!actor || actor.kind !== session.actor.kind) {
    delete (socket.data as SocketData).session;
    throw new PodiumError('unauthorized', 'Your session has ended; sign in again');
  }
  session.actor = actor;
  session.checkedAt = Date.now();
  return actor;
}

/**
 * Every `intervalMs`, check the session of each socket of `namespace` on this node and disconnect
 * those that ended, so a revoked judge stops receiving updates even without sending anything.
 * Returns the stop function.
 */
export function sweepSessions(
  namespace: { sockets: Map<string, Socket> },
  auth: AuthService,
  intervalMs = 10_000,
): () => void {
  const timer = setInterval(() => {
    for (const socket of namespace.sockets.values()) {
      currentActor(socket, auth).catch((err: unknown) => {
        // Only an ended session disconnects; a store hiccup must not drop every tablet.
        if (err instanceof PodiumError && err.code === 'unauthorized') socket.disconnect(true);
      });
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
