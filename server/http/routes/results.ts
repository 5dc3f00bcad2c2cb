/**
 * The JSON results API (docs/API.md, "Results as JSON"): the boards a set-up defines, and one
 * board's results as the caller may see them — anonymous callers, judges and integration keys get
 * the public view (freeze, embargo), organisers the live one.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../../auth/addressKey.ts';
import { RateLimitedError } from '../../auth/rateLimitedError.ts';
import type { Competition } from '../../../shared/model.ts';
import type { AuthServiceImpl } from '../../auth/service.ts';
import { boardsOfSetup, findBoard } from '../../domain/boardList.ts';
import { PodiumError } from '../../domain/errors.ts';
import { boardResults, type BoardReader } from '../../domain/results.ts';
import { bearerToken } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam } from '../validate.ts';

/** Which view a caller gets: 'staff' for an organiser, 'public' for anyone else (401 for bad credentials). */
export async function audienceOf(auth: AuthServiceImpl, req: Request): Promise<'public' | 'staff'> {
  return (await viewerOf(auth, req)).audience;
}

/** The caller's view, and how to check later that an organiser's session still holds. */
export async function viewerOf(
  auth: AuthServiceImpl,
  req: Request,
): Promise<{ audience: 'public' | 'staff'; stillValid: () => Promise<boolean> }> {
  const key = req.get('x-api-key');
  const token = bearerToken(req);
  if (key === undefined && token === undefined) return { audience: 'public', stillValid: async () => true };
  const identify = () => (key !== undefined ? auth.actorForApiKey(key) : auth.actorForToken(token ?? ''));
  const actor = await identify();
  if (actor === null) throw new PodiumError('unauthorized', 'unknown, expired or revoked credentials');
  if (actor.kind !== 'organiser') return { audience: 'public', stillValid: async () => true };
  return { audience: 'staff', stillValid: async () => (await identify()) !== null };
}

/** The set-up of a competition (404 when it has none). */
export async function setupFor(reader: BoardReader, id: string): Promise<Competition> {
  const setup = await reader.getSetup(id);
  if (setup === null) throw new PodiumError('not_found', `no competition ${id}`);
  return setup;
}

/**
 * Result reads per client address and second (each reads every round board of an event). A
 * results page or a broadcaster polling several boards stays far below it; a loop does not.
 */
export const RESULT_READS_PER_SECOND = 100;

/** GET /competitions/:id/results and GET /competitions/:id/results/:board (or ?board=). */
export function resultRoutes(deps: HttpDeps): Router {
  const router = Router();
  const reader = deps.service;
  const reads = new RateLimiterMemory({ points: RESULT_READS_PER_SECOND, duration: 1 });
  const limited = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      await reads.consume(addressKey(req.ip ?? 'unknown'));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    next();
  };
  // A prefix: it covers /results/:board too, counted once.
  router.use('/competitions/:id/results', limited);

  router.get('/competitions/:id/results', async (req, res) => {
    const setup = await setupFor(reader, idParam(req, 'id'));
    const audience = await audienceOf(deps.auth, req);
    const given = req.query.board;
    if (given === undefined) {
      res.json({ ok: true, competitionId: setup.id, boards: boardsOfSetup(setup) });
      return;
    }
    if (typeof given !== 'string' || given === '')
      throw new PodiumError('invalid_payload', 'board: give one board id');
    res.json(await resultsOf(setup, given, audience));
  });

  router.get('/competitions/:id/results/:board', async (req, res) => {
    const setup = await setupFor(reader, idParam(req, 'id'));
    const audience = await audienceOf(deps.auth, req);
    res.json(await resultsOf(setup, String(req.params.board), audience));
  });

  async function resultsOf(setup: Competition, given: string, audience: 'public' | 'staff') {
    const info = findBoard(boardsOfSetup(setup), given);
    if (info === null) throw new PodiumError('not_found', `board ${given} does not exist in this set-up`);
    return boardResults(reader, deps.store, setup, info, audience);
  }

  return router;
}
