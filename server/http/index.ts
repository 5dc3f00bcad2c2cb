/**
 * Podium's HTTP API (docs/API.md). The app mounts it at /api:
 *
 *   app.use('/api', createHttpApi({ service, auth, store, logger, publicUrl: config.publicUrl }));
 *
 * Every answer is JSON `{ ok: true, … }` or `{ ok: false, code, message }` (codes from
 * shared/events.ts), except CSV and archive downloads. Rate limits use req.ip: behind a reverse
 * proxy, set the app's 'trust proxy' so req.ip is the client's address.
 */
import { Router } from 'express';
import type { BodyLimits, HttpDeps } from './deps.ts';
import { errorHandler, sendError } from './errors.ts';
import { archiveRoutes } from './routes/archive.ts';
import { authRoutes } from './routes/auth.ts';
import { competitionRoutes } from './routes/competitions.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { exportRoutes } from './routes/exports.ts';
import { importRoutes } from './routes/imports.ts';
import { infoRoutes } from './routes/info.ts';
import { officialRoutes } from './routes/official.ts';
import { leaderRoutes } from './routes/leader.ts';
import { paperRoutes } from './routes/paper.ts';
import { eventFeedRoutes } from './routes/eventFeed.ts';
import { resultRoutes } from './routes/results.ts';
import { insightRoutes } from './routes/insight.ts';
import { judgeInsightRoutes } from './routes/judgeInsight.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { DEFAULT_WEBHOOK_OPTIONS, WebhookDispatcher } from './webhooks/dispatcher.ts';
import { venueHubRoutes } from '../venue/hubRoutes.ts';
import { venueNodeRoutes } from '../venue/nodeRoutes.ts';

export type { HttpDeps, CommandExecutor, BodyLimits } from './deps.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const DEFAULT_LIMITS: BodyLimits = { json: 256 * KiB, large: 5 * MiB, archive: 50 * MiB };

/** The /api router, and `close()` to stop its webhook deliveries. */
export type HttpApi = Router & { close(): Promise<void> };

/**
 * The /api router: server info, sign-in, competitions, commands, credentials, CSV import/export, JSON results,
 * the event feed, webhooks, archive/restore. Webhook deliveries start at once (background timers
 * that do not keep the process alive); `close()` stops them.
 */
export function createHttpApi(deps: HttpDeps): HttpApi {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const api = Router();
  const dispatcher = new WebhookDispatcher(
    { store: deps.store, reader: deps.service, logger: deps.logger },
    { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.webhooks },
  );
  dispatcher.start();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  api.use(infoRoutes(deps));
  api.use(authRoutes(deps, limits.json));
  api.use(competitionRoutes(deps, limits));
  api.use(credentialRoutes(deps, limits.json));
  api.use(importRoutes(deps, limits.large));
  api.use(exportRoutes(deps));
  api.use(resultRoutes(deps));
  api.use(paperRoutes(deps));
  api.use(officialRoutes(deps));
  api.use(leaderRoutes(deps));
  api.use(insightRoutes(deps));
  api.use(judgeInsightRoutes(deps));
  api.use(eventFeedRoutes(deps, deps.feed));
  api.use(webhookRoutes(deps, dispatcher, limits.json));
  api.use(archiveRoutes(deps, limits.archive));
  api.use(venueHubRoutes(deps));
  if (deps.venueStatus) api.use(venueNodeRoutes(deps, deps.venueStatus));
  api.use((req, res) => sendError(res, 'not_found', `no route ${req.method} ${req.path}`));
  api.use(errorHandler(deps.logger));
  return Object.assign(api, { close: () => dispatcher.close() });
}
