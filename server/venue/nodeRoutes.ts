/**
 * A venue node's own routes (docs/API.md "Venue link"):
 *   GET /venue/status    anyone on the venue LAN: the link (up/down, last contact, marks waiting)
 *                        and the venue's contestants' overall places with their age
 *   GET /venue/refusals  organiser or chief judge (of the venue node): the venue's commands the
 *                        hub refused
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../auth/addressKey.ts';
import { RateLimitedError } from '../auth/rateLimitedError.ts';
import type { NodeRefusalsResponse } from '../../shared/venueStatus.ts';
import { PodiumError } from '../domain/errors.ts';
import { actorOf, requireActor } from '../http/authenticate.ts';
import type { HttpDeps } from '../http/deps.ts';
import type { VenueStatusSource } from './statusSource.ts';

export type { VenueStatusSource } from './statusSource.ts';

/** Status reads per client address and second (screens poll every few seconds). */
export const VENUE_STATUS_READS_PER_SECOND = 20;

export function venueNodeRoutes(deps: HttpDeps, node: VenueStatusSource): Router {
  const router = Router();
  const reads = new RateLimiterMemory({ points: VENUE_STATUS_READS_PER_SECOND, duration: 1 });
  const limited = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      await reads.consume(addressKey(req.ip ?? 'unknown'));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    next();
  };
  router.get('/venue/status', limited, (_req, res) => {
    res.json({ ok: true, ...node.status() });
  });
  router.get('/venue/refusals', limited, requireActor(deps.auth, 'organiser', 'judge'), async (_req, res) => {
    const actor = actorOf(res);
    if (
      actor.kind === 'judge' &&
      (actor.role !== 'chief' || actor.competitionId !== node.status().competitionId)
    )
      throw new PodiumError('forbidden', 'only the organiser and the chief judge see venue refusals');
    const body: NodeRefusalsResponse = { ok: true, refusals: await node.refusals() };
    res.json(body);
  });
  return router;
}
