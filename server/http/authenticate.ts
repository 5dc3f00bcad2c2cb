/**
 * Who is calling: `Authorization: Bearer <session token>` (organisers, judges, team leaders) or
 * `X-Api-Key: <key>` (integrations). Routes then require the kind of actor they serve.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthServiceImpl } from '../auth/service.ts';
import type { Actor } from '../domain/actor.ts';
import { PodiumError } from '../domain/errors.ts';

const BEARER = /^Bearer\s+(\S+)$/i;

/** The bearer token of a request, if any. */
export function bearerToken(req: Request): string | undefined {
  return BEARER.exec(req.get('authorization') ?? '')?.[1];
}

/** The authenticated actor of a request; a route behind require*() always has one. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (actor === undefined) throw new PodiumError('unauthorized', 'sign in first');
  return actor;
}

async function identify(auth: AuthServiceImpl, req: Request): Promise<Actor> {
  const key = req.get('x-api-key');
  if (key !== undefined) {
    const actor = await auth.actorForApiKey(key);
    if (actor === null) throw new PodiumError('unauthorized', 'unknown or revoked API key');
    return actor;
  }
  const token = bearerToken(req);
  if (token === undefined)
    throw new PodiumError('unauthorized', 'sign in first (Authorization: Bearer <token>)');
  const actor = await auth.actorForToken(token);
  if (actor === null) throw new PodiumError('unauthorized', 'the session has expired or was revoked');
  return actor;
}

/** Middleware: an authenticated actor whose kind is one of `kinds`; 401 without one, 403 otherwise. */
export function requireActor(auth: AuthServiceImpl, ...kinds: Array<Actor['kind']>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const actor = await identify(auth, req);
    if (!kinds.includes(actor.kind))
      throw new PodiumError('forbidden', `this needs an ${kinds.join(' or ')}`);
    if (
      (actor.kind === 'integration' || actor.kind === 'leader') &&
      req.params.id !== undefined &&
      req.params.id !== actor.competitionId
    ) {
      throw new PodiumError(
        'forbidden',
        actor.kind === 'leader'
          ? 'this team leader code belongs to another competition'
          : 'this API key belongs to another competition',
      );
    }
    res.locals.actor = actor;
    next();
  };
}
