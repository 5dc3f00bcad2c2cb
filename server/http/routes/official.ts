/**
 * The organiser console's read of official results (docs/API.md, "Official results"): signatures
 * and appeals per contestant of one round, the appeal deadline, notice and qualification line.
 */
import { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '../../../shared/text.ts';
import { officialLines } from '../../domain/officialLines.ts';
import { requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam, parseWith } from '../validate.ts';
import { eventRound, limiter, PRINT_READS_PER_SECOND } from './paper.ts';
import { setupFor } from './results.ts';

const roundQuery = z.object({ event: idSchema, round: idSchema });

/** GET /competitions/:id/official?event=&round= (organiser). */
export function officialRoutes(deps: HttpDeps): Router {
  const router = Router();
  const organiser = requireActor(deps.auth, 'organiser');
  const readLimit = limiter(PRINT_READS_PER_SECOND, 1);

  router.get('/competitions/:id/official', readLimit, organiser, async (req, res) => {
    const setup = await setupFor(deps.service, idParam(req, 'id'));
    const query = parseWith(roundQuery, req.query);
    const { event, round } = eventRound(setup, query.event, query.round);
    const control = await deps.service.getControl(setup.id);
    res.json(await officialLines(deps.store, setup, event, round, control));
  });

  return router;
}
