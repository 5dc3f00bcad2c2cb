/**
 * Paper and proof (docs/API.md, "Printing and certificates"): the data of the print pages (score
 * sheets, results notice, certificates) and the per-judge marks export for organisers, and the
 * public certificate check. Every route is rate-limited per client address.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { parseBoardKey } from '../../../shared/boards.ts';
import type { Competition } from '../../../shared/model.ts';
import type { Certificates, Notice } from '../../../shared/paper.ts';
import { own } from '../../../shared/records.ts';
import { idSchema } from '../../../shared/text.ts';
import { addressKey } from '../../auth/addressKey.ts';
import { RateLimitedError } from '../../auth/rateLimitedError.ts';
import { marksCsv } from '../../csv/marks.ts';
import { boardsOfSetup, findBoard } from '../../domain/boardList.ts';
import {
  certificateKey,
  claimQuerySchema,
  signClaim,
  verifyCertificate,
  verifyUrl,
} from '../../domain/certificates.ts';
import { PodiumError } from '../../domain/errors.ts';
import { noticeEndsAt, officialStatus } from '../../../shared/official.ts';
import { OVERALL } from '../../domain/projection.ts';
import { boardResults } from '../../domain/results.ts';
import { scoreSheets } from '../../domain/scoreSheets.ts';
import { presentedSetup } from '../../domain/visibility.ts';
import { requireActor } from '../authenticate.ts';
import { publicUrlOf, type HttpDeps } from '../deps.ts';
import { downloadName, namedAttachment } from '../downloadName.ts';
import { idParam, parseWith } from '../validate.ts';
import { setupFor } from './results.ts';

/** Print-data reads per organiser address and second: a print page makes one; a loop is stopped. */
export const PRINT_READS_PER_SECOND = 20;
/** Certificate checks per client address and minute: a venue's phones scanning share few addresses. */
export const VERIFY_CHECKS_PER_MINUTE = 120;
/** At most this many certificates per request (a board's first N ranked rows). */
export const MAX_CERTIFICATES = 1000;

const roundQuery = z.object({ event: idSchema, round: idSchema, contestant: idSchema.optional() });
const boardQuery = z.object({ board: z.string().min(1).max(300), contestant: idSchema.optional() });

export function limiter(points: number, duration: number) {
  const limit = new RateLimiterMemory({ points, duration });
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      await limit.consume(addressKey(req.ip ?? 'unknown'));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    next();
  };
}

export function eventRound(setup: Competition, eventId: string, roundId: string) {
  const event = setup.events.find((e) => e.id === eventId);
  const round = event?.rounds.find((r) => r.id === roundId);
  if (event === undefined || round === undefined)
    throw new PodiumError('not_found', `no round ${roundId} in event ${eventId}`);
  return { event, round };
}

/** GET print/sheets, print/notice, print/certificates, marks.csv (organiser); GET /verify (public). */
export function paperRoutes(deps: HttpDeps): Router {
  const router = Router();
  const reader = deps.service;
  const organiser = requireActor(deps.auth, 'organiser');
  const printLimit = limiter(PRINT_READS_PER_SECOND, 1);
  const verifyLimit = limiter(VERIFY_CHECKS_PER_MINUTE, 60);

  async function sheetsOf(req: Request) {
    const setup = await setupFor(reader, idParam(req, 'id'));
    const query = parseWith(roundQuery, req.query);
    const { event, round } = eventRound(setup, query.event, query.round);
    if (
      query.contestant !== undefined &&
      !setup.contestants.some((c) => c.id === query.contestant && c.eventId === event.id)
    )
      throw new PodiumError('not_found', `no contestant ${query.contestant} in event ${event.id}`);
    const control = await reader.getControl(setup.id);
    const only = query.contestant === undefined ? undefined : [query.contestant];
    // Score sheets name contestants only where visibility.ts allows (drawn numbers before a decode).
    const shown = { ...setup, contestants: presentedSetup(setup, control.draws).contestants };
    return scoreSheets(deps.store, shown, event, round, control, only);
  }

  router.get('/competitions/:id/print/sheets', printLimit, organiser, async (req, res) => {
    res.json(await sheetsOf(req));
  });

  router.get('/competitions/:id/marks.csv', printLimit, organiser, async (req, res) => {
    const data = await sheetsOf(req);
    const name = downloadName(
      [data.competition.name, data.event.name, data.round.name, '评分明细 marks'],
      'csv',
    );
    namedAttachment(res, 'text/csv; charset=utf-8', name);
    res.send(marksCsv(data));
  });

  async function boardOf(req: Request) {
    const setup = await setupFor(reader, idParam(req, 'id'));
    const query = parseWith(boardQuery, req.query);
    const info = findBoard(boardsOfSetup(setup), query.board);
    if (info === null)
      throw new PodiumError('not_found', `board ${query.board} does not exist in this set-up`);
    const event = setup.events.find((e) => e.id === info.eventId);
    if (event === undefined) throw new PodiumError('not_found', `board ${query.board} of no event`);
    const control = await reader.getControl(setup.id);
    const now = Date.now();
    return {
      setup,
      info,
      query,
      status: officialStatus(event, info.roundId, control, now),
      noticeEndsAt: noticeEndsAt(event, info.roundId, control, now),
      appealsCloseAt: own(control.appealDeadlines ?? {}, event.id) ?? null,
    };
  }

  router.get('/competitions/:id/print/notice', printLimit, organiser, async (req, res) => {
    const { setup, info, status, noticeEndsAt, appealsCloseAt } = await boardOf(req);
    const results = await boardResults(reader, deps.store, setup, info, 'staff');
    const notice: Notice = {
      ok: true,
      competition: { id: setup.id, name: setup.name },
      official: status,
      noticeEndsAt,
      appealsCloseAt,
      results,
    };
    res.json(notice);
  });

  router.get('/competitions/:id/print/certificates', printLimit, organiser, async (req, res) => {
    const { setup, info, query, status } = await boardOf(req);
    if (info.scope !== 'individual' || parseBoardKey(info.board) === null)
      throw new PodiumError('invalid_payload', 'board: certificates are printed from an individual board');
    const results = await boardResults(reader, deps.store, setup, info, 'staff');
    const key = await certificateKey(deps.store);
    const base = publicUrlOf(deps);
    const certificates = results.rows
      .filter((r) => r.outcome === 'ok' && r.rank !== null && r.contestant !== null)
      .filter((r) => query.contestant === undefined || r.id === query.contestant)
      .slice(0, MAX_CERTIFICATES)
      .map((r) => {
        const claim = {
          competitionId: setup.id,
          board: info.board,
          contestantId: r.id,
          rank: r.rank as number,
          total: r.total,
          medal: r.medal,
        };
        const code = signClaim(key, claim);
        const c = r.contestant as NonNullable<typeof r.contestant>;
        return {
          contestantId: r.id,
          bib: c.bib,
          name: c.name,
          organisation: c.organisation,
          rank: claim.rank,
          total: r.total,
          medal: r.medal,
          verifyUrl: verifyUrl(base, claim, code),
          code,
        };
      });
    const answer: Certificates = {
      ok: true,
      competition: { id: setup.id, name: setup.name },
      board: info.board,
      boardName: info.name,
      eventName: info.eventName,
      roundName: info.roundId === OVERALL ? null : info.roundName,
      status,
      certificates,
    };
    res.json(answer);
  });

  router.get('/verify', verifyLimit, async (req, res) => {
    res.json(await verifyCertificate(reader, deps.store, parseWith(claimQuerySchema, req.query)));
  });

  return router;
}
