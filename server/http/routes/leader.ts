/** The team leader's read (docs/API.md, "Team leaders"): the team's contestants, deadlines and appeals. */
import { Router } from 'express';
import { leaderView } from '../../domain/leaderView.ts';
import { PodiumError } from '../../domain/errors.ts';
import { actorOf, requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam } from '../validate.ts';
import { limiter, PRINT_READS_PER_SECOND } from './paper.ts';
import { setupFor } from './results.ts';

/** GET /competitions/:id/leader (team leader of a team of that competition). */
export function leaderRoutes(deps: HttpDeps): Router {
  const router = Router();
  const leader = requireActor(deps.auth, 'leader');
  const readLimit = limiter(PRINT_READS_PER_SECOND, 1);

  router.get('/competitions/:id/leader', readLimit, leader, async (req, res) => {
    const actor = actorOf(res);
    if (actor.kind !== 'leader') throw new PodiumError('forbidden', 'team leaders only');
    const setup = await setupFor(deps.service, idParam(req, 'id'));
    const control = await deps.service.getControl(setup.id);
    res.json(await leaderView(deps.store, setup, control, actor.teamId, Date.now()));
  });

  return router;
}
