/**
 * GET /competitions/:id/event-feed: newline-delimited JSON, one line per change, CLICS-shaped
 * (docs/API.md, "Event feed"). Tokens are log ids; `?since_token=` resumes after one. The feed
 * follows the store's log (woken by this process's commits, polling for other nodes').
 */
import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import type { FeedLine } from '../../../shared/feed.ts';
import { entryLines, stateLines, type FeedSource } from '../../domain/feedLines.ts';
import { PodiumError } from '../../domain/errors.ts';
import type { HttpDeps } from '../deps.ts';
import { DEFAULT_FEED_OPTIONS, FeedConnections, type FeedOptions } from '../feedConnections.ts';
import { LogHeads } from '../logHead.ts';
import { idParam } from '../validate.ts';
import { setupFor, viewerOf } from './results.ts';

const TOKEN = /^\d{1,20}-\d{1,20}$/;
const PAGE = 100;
/** How often a live (organiser) feed re-checks that the session was not revoked. */
const SESSION_CHECK_MS = 5_000;

/** The event-feed route. */
export function eventFeedRoutes(deps: HttpDeps, options: Partial<FeedOptions> = {}): Router {
  const settings = { ...DEFAULT_FEED_OPTIONS, ...options };
  const connections = new FeedConnections(settings);
  const heads = new LogHeads(deps.store);
  const router = Router();

  router.get('/competitions/:id/event-feed', async (req, res) => {
    const id = idParam(req, 'id');
    const setup = await setupFor(deps.service, id);
    const { audience, stillValid } = await viewerOf(deps.auth, req);
    const since = req.query.since_token;
    if (since !== undefined && (typeof since !== 'string' || !TOKEN.test(since))) {
      throw new PodiumError('invalid_payload', 'since_token: give a token from a line of this feed');
    }
    if (since !== undefined) {
      // A token of another store kind (or garbage the store cannot read) is refused up front.
      await deps.store.readLog(id, since, 1).catch(() => {
        throw new PodiumError('invalid_payload', 'since_token: not a token of this feed');
      });
    }
    const address = req.ip ?? 'unknown';
    if (!connections.open(address)) {
      res.setHeader('Retry-After', '10');
      throw new PodiumError(
        'rate_limited',
        `too many event feeds open (at most ${settings.maxPerAddress} per address, ${settings.maxTotal} in all)`,
      );
    }
    try {
      await follow(deps, { reader: deps.service, store: deps.store, audience }, setup.id, since, req, res, {
        ...settings,
        stillValid,
        heads,
      });
    } catch (err) {
      deps.logger.warn({ err, competitionId: id }, 'event feed ended by an error');
    } finally {
      connections.close(address);
      res.end();
    }
  });

  return router;
}

/** Stream the feed until the client goes away. */
async function follow(
  deps: HttpDeps,
  source: FeedSource,
  competitionId: string,
  since: string | undefined,
  req: Request,
  res: Response,
  settings: FeedOptions & { stillValid: () => Promise<boolean>; heads: LogHeads },
): Promise<void> {
  const { store, logger } = deps;
  let closed = false;
  let wake: () => void = () => undefined;
  const gone = (): void => {
    closed = true;
    wake();
  };
  req.on('close', gone);
  res.on('close', gone);
  res.status(200);
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const keepAlive = setInterval(() => {
    if (!closed) res.write('\n');
  }, settings.keepAliveMs);
  let checkedAt = Date.now();
  const stopChanges = deps.service.onChange(() => wake());
  try {
    const emit = async (lines: FeedLine[], token: string | undefined): Promise<void> => {
      if (lines.length === 0) return;
      const last = lines.length - 1;
      const text = lines
        .map((line, i) => JSON.stringify(i === last ? { ...line, token: token ?? null } : line))
        .join('\n');
      if (!res.write(`${text}\n`) && !closed) {
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
    };
    let cursor = since;
    if (since === undefined) {
      cursor = await settings.heads.head(competitionId);
      const setup = await source.reader.getSetup(competitionId);
      if (setup === null) return;
      await emit(await stateLines(source, setup), cursor);
    }
    while (!closed) {
      if (Date.now() - checkedAt >= SESSION_CHECK_MS) {
        // A revoked or expired organiser session stops seeing the live ranking.
        if (!(await settings.stillValid())) return;
        checkedAt = Date.now();
      }
      const entries = await store.readLog(competitionId, cursor, PAGE);
      if (entries.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, settings.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => undefined;
        continue;
      }
      const setup = await source.reader.getSetup(competitionId);
      if (setup === null) return;
      for (const entry of entries) {
        if (closed) return;
        await emit(await entryLines(source, setup, entry), entry.id);
        cursor = entry.id;
      }
    }
  } finally {
    clearInterval(keepAlive);
    stopChanges();
    logger.debug({ competitionId }, 'event feed closed');
  }
}
