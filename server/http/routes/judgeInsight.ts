/**
 * Judge consistency and rank over time (docs/API.md, "Judge consistency", "Rank over time"):
 *   GET /api/competitions/:id/judge-consistency?event=<id>[&round=<id>]   organisers, the event's chief judges
 *   GET /api/competitions/:id/rank-history?board=<board>&contestant=<id>   anyone (as they may see the board)
 *   GET /api/competitions/:id/movers?board=<board>[&window=<minutes>][&limit=<n>]
 * Read on request, never on the live fan-out's path; a board's history is kept per set-up, control
 * and board version, so a display asking after every change replays the log once per change.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  biggestMovers,
  type MoversAnswer,
  type RankHistoryAnswer,
} from '../../../shared/insight/rankHistory.ts';
import { parseBoardKey } from '../../../shared/boards.ts';
import { idSchema } from '../../../shared/text.ts';
import { boardsOfSetup } from '../../domain/boardList.ts';
import { PodiumError } from '../../domain/errors.ts';
import { consistencyFor, requireConsistencyReader } from '../../domain/judgeConsistency.ts';
import { BoardHistoryFold, type BoardHistory } from '../../domain/rankHistory.ts';
import { actorOf, requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam, parseWith } from '../validate.ts';
import { addressReadLimit, INSIGHT_READS_PER_SECOND } from './insight.ts';
import { audienceOf, setupFor } from './results.ts';

/** Board histories kept (per competition, board and audience), the oldest dropped first. */
const KEPT_HISTORIES = 32;

const consistencyQuery = z.strictObject({ event: idSchema, round: idSchema.optional() });
const historyQuery = z.strictObject({ board: z.string().min(1).max(300), contestant: idSchema });
const moversQuery = z.strictObject({
  board: z.string().min(1).max(300),
  window: z
    .string()
    .regex(/^\d{1,3}$/, 'minutes from 1 to 240')
    .transform(Number)
    .pipe(z.number().int().min(1).max(240))
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,2}$/, 'from 1 to 10')
    .transform(Number)
    .pipe(z.number().int().min(1).max(10))
    .optional(),
});

export function judgeInsightRoutes(deps: HttpDeps): Router {
  const router = Router();
  const limited = addressReadLimit(deps.insightReadsPerSecond ?? INSIGHT_READS_PER_SECOND);
  const kept = new Map<
    string,
    { setup: number; versions: string; fold: BoardHistoryFold; history: BoardHistory }
  >();

  router.get(
    '/competitions/:id/judge-consistency',
    limited,
    requireActor(deps.auth, 'organiser', 'judge'),
    async (req, res) => {
      const setup = await setupFor(deps.service, idParam(req, 'id'));
      const { event, round } = parseWith(consistencyQuery, req.query);
      requireConsistencyReader(actorOf(res), setup, event);
      res.json(await consistencyFor(deps.store, setup, event, round ?? null));
    },
  );

  /**
   * The board's history as `audience` sees it. Kept per board: folded further (only the new log
   * entries) when the board or the control state moved, folded afresh when the set-up version did
   * (a restore replaces the whole log).
   */
  async function historyOf(competitionId: string, board: string, audience: 'public' | 'staff') {
    const [setup, control, rows] = await Promise.all([
      deps.store.getVersion(competitionId, { kind: 'setup' }),
      deps.store.getVersion(competitionId, { kind: 'control' }),
      deps.store.getVersion(competitionId, { kind: 'board', board }),
    ]);
    const versions = `${setup}|${control}|${rows}`;
    const key = `${competitionId}\u0000${board}\u0000${audience}`;
    const known = kept.get(key);
    if (known?.versions === versions) return known.history;
    const fold =
      known !== undefined && known.setup === setup
        ? known.fold
        : new BoardHistoryFold(competitionId, board, audience);
    const history = await fold.catchUp(deps.store);
    kept.delete(key);
    kept.set(key, { setup, versions, fold, history });
    if (kept.size > KEPT_HISTORIES) kept.delete(kept.keys().next().value as string);
    return history;
  }

  async function boardOf(req: Request, board: string) {
    const setup = await setupFor(deps.service, idParam(req, 'id'));
    if (!boardsOfSetup(setup).some((b) => b.board === board))
      throw new PodiumError('not_found', `board ${board} does not exist in this set-up`);
    const audience = await audienceOf(deps.auth, req);
    const control = await deps.service.getControl(setup.id);
    const eventId = parseBoardKey(board)?.eventId ?? '';
    const embargoed = audience === 'public' && control.embargoed.includes(eventId);
    return { setup, audience, embargoed };
  }

  router.get('/competitions/:id/rank-history', limited, async (req, res) => {
    const { board, contestant } = parseWith(historyQuery, req.query);
    const { setup, audience, embargoed } = await boardOf(req, board);
    const history = embargoed ? null : await historyOf(setup.id, board, audience);
    const answer: RankHistoryAnswer = {
      ok: true,
      competitionId: setup.id,
      board,
      contestantId: contestant,
      frozen: history?.frozen ?? false,
      embargoed: embargoed || (history?.withheld ?? false),
      points: history?.timelines.get(contestant) ?? [],
    };
    res.json(answer);
  });

  router.get('/competitions/:id/movers', limited, async (req, res) => {
    const { board, window, limit } = parseWith(moversQuery, req.query);
    const { setup, audience, embargoed } = await boardOf(req, board);
    const history = embargoed ? null : await historyOf(setup.id, board, audience);
    const since = Date.now() - (window ?? 10) * 60_000;
    const answer: MoversAnswer = {
      ok: true,
      competitionId: setup.id,
      board,
      frozen: history?.frozen ?? false,
      embargoed: embargoed || (history?.withheld ?? false),
      since,
      movers: history === null ? [] : biggestMovers(history.timelines, since, limit ?? 3),
    };
    res.json(answer);
  });
  return router;
}
