/**
 * CONTRACT between the auth layer (server/auth, owned by the HTTP/auth work) and the live layer
 * (server/live): how a socket handshake token becomes an Actor.
 */
import type { Actor } from '../domain/actor.ts';

export interface AuthService {
  /** The actor a session token stands for, or null when unknown, expired or revoked. */
  actorForToken(token: string): Promise<Actor | null>;
}
