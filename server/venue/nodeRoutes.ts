/**
 * A venue node's own routes (docs/API.md "Venue link"):
 *   GET /venue/status    anyone on the venue LAN: the link (up/down, last contact, marks waiting)
 *                        and the venue's contestants' overall places with their age
 *   GET /venue/refusals  organiser (of the venue node): the venue's commands the hub refused
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../auth/addressKey.ts';
import { RateLimitedError } from '../auth/rateLimitedError.ts';
import { requireActor } from '../http/authenticate.ts';
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
  router.get('/venue/refusals', limited, requireActor(deps.auth, 'organiser'), async (_req, res) => {
    res.json({ ok: true, refusals: await node.refusals() });
  });
  return router;
}
