/**
 * GET /api/competitions/:id/insight (docs/API.md, "Insight"): what it takes and why this rank, for
 * one contestant on one board, as the caller may see the board (organisers live, anyone else the
 * public view with freeze and embargo). Computed on request, never on the live fan-out's path.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { idSchema } from '../../../shared/text.ts';
import { addressKey } from '../../auth/addressKey.ts';
import { RateLimitedError } from '../../auth/rateLimitedError.ts';
import { PodiumError } from '../../domain/errors.ts';
import { insightFor } from '../../domain/insight.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam } from '../validate.ts';
import { audienceOf, setupFor } from './results.ts';

/** Insight reads per client address and second (a venue's phones may share one address). */
export const INSIGHT_READS_PER_SECOND = 50;

const querySchema = z.strictObject({
  board: z.string().min(1).max(300),
  contestant: idSchema,
  line: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'a rank from 1 to 999999')
    .transform(Number)
    .optional(),
});

/** Middleware: at most `points` reads per client address and second, else 429 rate_limited. */
export function addressReadLimit(
  points: number,
): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  const reads = new RateLimiterMemory({ points, duration: 1 });
  return async (req, _res, next) => {
    try {
      await reads.consume(addressKey(req.ip ?? 'unknown'));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    next();
  };
}

export function insightRoutes(deps: HttpDeps): Router {
  const router = Router();
  const limited = addressReadLimit(deps.insightReadsPerSecond ?? INSIGHT_READS_PER_SECOND);

  router.get('/competitions/:id/insight', limited, async (req, res) => {
    const id = idParam(req, 'id');
    const parsed = querySchema.safeParse(req.query);
    if (!parsed.success)
      throw new PodiumError('invalid_payload', 'give board, contestant and optionally line (a rank)');
    const setup = await setupFor(deps.service, id);
    const audience = await audienceOf(deps.auth, req);
    const { board, contestant, line } = parsed.data;
    res.json(
      await insightFor(
        deps.service,
        deps.store,
        setup,
        { board, contestantId: contestant, line: line ?? null },
        audience,
      ),
    );
  });
  return router;
}
