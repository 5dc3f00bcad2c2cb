/**
 * Wires one Podium process: Express (health, readiness, metrics, the /api router, the built
 * clients) and Socket.IO (/public, /judge, /admin, live push, presence, audience). No environment
 * reads and no listen: server/main.ts and the tests do that.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { join, resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { AuthService } from './auth/types.ts';
import type { RateLimits } from './auth/rate-limits.ts';
import { LocalCluster } from './cluster/localCluster.ts';
import type { Cluster } from './cluster/types.ts';
import { clientFiles } from './clientFiles.ts';
import type { PodiumConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type PodiumMetrics } from './metrics.ts';
import { serveMetrics } from './metricsEndpoint.ts';
import { registerDurabilityGauge, type StoreDurability } from './store/durability.ts';
import type { Store } from './store/types.ts';
import { setupAdminNamespace } from './live/adminNamespace.ts';
import { AudienceCounter } from './live/audience.ts';
import { Broadcaster, spectatorWriter } from './live/broadcaster.ts';
import { storeBoardFeed } from './live/boardFeed.ts';
import { createIo, type PodiumIo } from './live/io.ts';
import { setupJudgeNamespace } from './live/judgeNamespace.ts';
import type { LiveService } from './live/ports.ts';
import { PresenceTracker } from './live/presence.ts';
import { setupPublicNamespace } from './live/publicNamespace.ts';
import { socketBudgets } from './live/socketBudgets.ts';
import { sweepSessions } from './live/session.ts';

/** The client apps Vite builds into dist/client; each is a single-page app under its prefix. */
export const CLIENT_APPS = ['judge', 'screen', 'watch', 'admin', 'overlay', 'ceremony'] as const;

export interface PodiumDeps {
  store: Store;
  service: LiveService;
  auth: AuthService;
  logger: Logger;
  config: Pick<
    PodiumConfig,
    'allowedOrigins' | 'coalesceMs' | 'trustProxy' | 'metricsPort' | 'metricsToken' | 'socketBudgets'
  >;
  /** What nodes share: Socket.IO adapter, presence, audience, rate limits; a LocalCluster when absent. */
  cluster?: Cluster;
  /** The HTTP API, mounted at /api. */
  api?: Router;
  /** Write limits shared with the HTTP API; created here when absent. */
  limits?: RateLimits;
  /** Folder of the built clients; default dist/client under the working directory. */
  clientDir?: string;
  /** The store's persistence as checked at start (server/store/durability.ts): on /readyz and /metrics. */
  durability?: StoreDurability;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer };
}

export interface Podium {
  /** The HTTP server, or the HTTPS one when deps.tls is given. */
  httpServer: HttpServer | HttpsServer;
  io: PodiumIo;
  app: Express;
  metrics: PodiumMetrics;
  audience: AudienceCounter;
  presence: PresenceTracker;
  /** Stop pushing, close every socket and the HTTP server (the store is the caller's). */
  close(): Promise<void>;
}

/** Build a Podium process from its parts. */
export function createPodium(deps: PodiumDeps): Podium {
  const { logger } = deps;
  const app = express();
  const httpServer = deps.tls === undefined ? createServer(app) : createHttpsServer(deps.tls, app);
  const cluster = deps.cluster ?? new LocalCluster();
  const io = createIo(httpServer, deps.config.allowedOrigins, cluster.socketAdapter());
  const metrics = createMetrics((ns) => io.server.of(ns).sockets.size);
  const nodeId = randomUUID();

  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(securityHeaders);
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  // Status: 200 when the store answers (load balancers need no more); the body says whether it is durable.
  app.get('/readyz', (_req, res) => {
    const durability = deps.durability ?? null;
    const answer = (ready: boolean) =>
      res.status(ready ? 200 : 503).json({
        ready,
        store: durability?.store ?? null,
        durable: durability?.durable ?? null,
        persistence: durability?.persistence ?? null,
        ...(ready ? {} : { reason: 'store unavailable' }),
      });
    storeAnswers(deps.store).then(answer, () => answer(false));
  });
  if (deps.durability) registerDurabilityGauge(metrics.registry, deps.durability);
  // With a metrics port, /metrics is not on the public one (server/metricsEndpoint.ts).
  if (deps.config.metricsPort === undefined) {
    app.get('/metrics', (req, res) => serveMetrics(metrics.registry, deps.config.metricsToken, req, res));
  }
  // One writer for everything sent to whole rooms of spectators: board deltas and audience counts.
  const spectators = spectatorWriter(logger, metrics);
  const audience = new AudienceCounter(io, nodeId, logger, cluster.audience, spectators);
  if (deps.api) app.use('/api', deps.api);
  serveClients(app, resolve(deps.clientDir ?? join(process.cwd(), 'dist', 'client')));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // A request that cannot be read (e.g. a malformed %-escape in the URL) is the client's error.
    const status = clientErrorStatus(err);
    if (status === undefined) logger.error({ err }, 'http request failed');
    if (!res.headersSent)
      res
        .status(status ?? 500)
        .type('text/plain')
        .send(status === undefined ? 'internal error' : 'bad request');
  });

  const limits = deps.limits ?? cluster.rateLimits();
  // Every client frame on every namespace passes the per-socket limits (live/socketGuard.ts).
  const guard = { budgets: socketBudgets(deps.config.socketBudgets), logger, metrics };
  const commandDeps = { service: deps.service, auth: deps.auth, limits, metrics, logger, guard };
  const presence = new PresenceTracker(io, deps.service, logger, cluster.presence);
  setupPublicNamespace(io, deps.service, audience, guard);
  setupJudgeNamespace(io, commandDeps, presence, logger);
  setupAdminNamespace(io, commandDeps);
  // Every node hears every commit on the store's change feed, in commit order.
  const boardFeed = storeBoardFeed(deps.store);
  const broadcaster = new Broadcaster(
    io,
    deps.service,
    metrics,
    logger,
    deps.config.coalesceMs,
    boardFeed,
    spectators,
  );
  audience.start();
  presence.start();
  const stopSweeps = [sweepSessions(io.judge, deps.auth), sweepSessions(io.admin, deps.auth)];

  return {
    httpServer,
    io,
    app,
    metrics,
    audience,
    presence,
    async close() {
      broadcaster.close();
      presence.close();
      stopSweeps.forEach((stop) => stop());
      await audience.close().catch((err: unknown) => logger.warn({ err }, 'audience withdraw failed'));
      io.server.disconnectSockets(true);
      // io.close() also closes the HTTP server; the adapter's Redis reader stops with it.
      const closed = io.server.close();
      httpServer.closeIdleConnections();
      await closed;
    },
  };
}

/**
 * The Content-Security-Policy of every page. The built HTML loads only its own module scripts (no
 * inline script), so scripts are 'self' only; styles allow 'unsafe-inline' for the style attributes
 * Svelte's `style:` directives and Chart.js set; sockets and fetches go to this origin only.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** A few protective headers (no extra dependency). */
function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  // Overlays are embedded by streaming software; everything else refuses to be framed.
  const overlay = req.path.startsWith('/overlay');
  if (!overlay) res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', overlay ? CSP : `${CSP}; frame-ancestors 'none'`);
  next();
}

/** The 4xx status an error of express or its router carries, if any. */
function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('status' in err) || typeof err.status !== 'number') {
    return undefined;
  }
  return err.status >= 400 && err.status < 500 ? err.status : undefined;
}

/** True when the store answers a trivial read within a second. */
async function storeAnswers(store: Store): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), 1_000);
  });
  try {
    return await Promise.race([store.getVersion('readyz', { kind: 'setup' }).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Static files of the built clients, each app falling back to its own index.html (client-side
 * routes); without a build, / explains how to make one.
 */
function serveClients(app: Express, dir: string): void {
  app.use(clientFiles(dir));
  for (const name of CLIENT_APPS) {
    const index = join(dir, name, 'index.html');
    app.get([`/${name}`, `/${name}/*rest`], (_req, res, next) => {
      if (!existsSync(index)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  }
  app.get('/', (_req, res) => {
    res
      .status(404)
      .type('text/plain')
      .send('Podium is running, but the web apps are not built. Run `npm run build:client`, then reload.');
  });
}
