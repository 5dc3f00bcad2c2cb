/**
 * Entry point: read the configuration, open the store (embedded by default, Redis with
 * REDIS_URL), build the services and the Podium app, listen, and shut down gracefully.
 * `startPodium` is also what the tests and the demo use to run a real server.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { connectRedis } from './store/redis/connect.ts';
import { createPodium, type Podium } from './app.ts';
import { announce } from './banner.ts';
import { AuthServiceImpl } from './auth/service.ts';
import { LocalCluster } from './cluster/localCluster.ts';
import { RedisCluster } from './cluster/redisCluster.ts';
import { loadConfig, type PodiumConfig } from './config.ts';
import { ContestService } from './domain/service.ts';
import { createHttpApi } from './http/index.ts';
import { liveServiceFrom } from './live/serviceAdapter.ts';
import { createLogger, type Logger } from './logger.ts';
import { startMetricsServer } from './metricsEndpoint.ts';
import { lanAddresses, publicBaseUrl } from './network.ts';
import { checkDurabilityAtStart } from './store/durability.ts';
import { openStore } from './store/index.ts';
import type { Store } from './store/types.ts';
import { isRedisOutageError } from './store/outage.ts';
import { siteClock } from './venue/siteClock.ts';
import { startVenueNode, venueStatusOf } from './venue/startNode.ts';
import type { VenueNode } from './venue/venueNode.ts';

export interface RunningPodium {
  podium: Podium;
  store: Store;
  service: ContestService;
  auth: AuthServiceImpl;
  /** The port actually listened on (useful with PORT=0). */
  port: number;
  /** The base URL other devices open: PUBLIC_URL, else the LAN address on the port listened on. */
  publicUrl: string;
  /** One sentence: which store is used. */
  storeDescription: string;
  /** Set when this start created the organiser account with a generated password. */
  generatedAdmin: { user: string; password: string } | null;
  /** The separate metrics port, when PODIUM_METRICS_PORT is set. */
  metricsPort: number | null;
  /** On a venue node (config.venueLink): its link to the hub. */
  venueNode: VenueNode | null;
  stop(): Promise<void>;
}

/** Open the store, wire everything and listen on config.host:config.port. */
export async function startPodium(config: PodiumConfig, logger: Logger): Promise<RunningPodium> {
  const { store, description } = await openStore({
    dataDir: config.dataDir,
    logger: { warn: (message) => logger.warn(message), info: (message) => logger.info(message) },
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  });
  const durability = await checkDurabilityAtStart(store, logger, config.requireDurable === true).catch(
    async (err: unknown) => {
      await store.close();
      throw err;
    },
  );
  // The store keeps its own connection; this one serves the Socket.IO adapter, presence,
  // audience and rate limits (the adapter duplicates it for its blocking reads).
  const redis = config.redisUrl ? connectRedis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis (live layer) error'));
  const cluster = redis ? new RedisCluster(redis) : new LocalCluster();
  // Log times come from this site's hybrid logical clock: causal order across venues (docs/VENUES.md).
  const clock = siteClock();
  const service = new ContestService({ store, logger, clock: () => clock.now().wall });
  const auth = new AuthServiceImpl({ store, logger, limits: cluster.rateLimits() });
  const generatedAdmin = await auth.ensureOrganiser(config.adminUser, config.adminPassword);
  // The HTTP API lists audiences, which the live layer counts: read through `podium` once built.
  const built: { podium?: Podium; venue?: VenueNode } = {};
  // With PORT=0 the port, and so a derived public URL, is known only once listening.
  let publicUrl = config.publicUrl;
  const api = createHttpApi({
    service,
    auth,
    store,
    logger,
    publicUrl: () => publicUrl,
    audience: (competitionId) => built.podium?.audience.lastKnown(competitionId) ?? 0,
    ...(config.venueLink ? { venueStatus: venueStatusOf(built) } : {}),
  });
  const podium = createPodium({
    store,
    service: liveServiceFrom(service, store),
    auth,
    logger,
    config,
    limits: auth.limits,
    api,
    durability,
    cluster,
    ...(config.tls
      ? { tls: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } }
      : {}),
  });
  const server = podium.httpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  if (config.port === 0 && config.publicUrlSource !== undefined && config.publicUrlSource !== 'setting') {
    publicUrl = publicBaseUrl({ tls: config.tls !== undefined, port }).url;
  }
  const metricsServer =
    config.metricsPort === undefined
      ? null
      : await startMetricsServer(podium.metrics.registry, {
          host: config.metricsHost ?? config.host,
          port: config.metricsPort,
          token: config.metricsToken,
        });
  let stopping: Promise<void> | undefined;
  built.podium = podium;
  if (config.venueLink) built.venue = startVenueNode(config.venueLink, store, service, podium, logger);
  return {
    podium,
    store,
    service,
    auth,
    port,
    publicUrl,
    storeDescription: description,
    generatedAdmin,
    metricsPort: metricsServer?.port ?? null,
    venueNode: built.venue ?? null,
    stop() {
      stopping ??= (async () => {
        await built.venue?.stop();
        metricsServer?.server.close();
        metricsServer?.server.closeAllConnections();
        // Requests still running after a grace period (a long download) are cut, not waited for.
        const grace = setTimeout(() => server.closeAllConnections(), 1_500);
        await podium.close();
        clearTimeout(grace);
        await api.close();
        await store.close();
        await redis?.quit().catch(() => undefined);
      })();
      return stopping;
    },
  };
}

/** The addresses people can open: the public URL first, then this machine's LAN addresses, then localhost. */
export function reachableUrls(config: PodiumConfig, port: number, publicUrl = config.publicUrl): string[] {
  const scheme = config.tls === undefined ? 'http' : 'https';
  const lan = lanAddresses().map((address) => `${scheme}://${address}:${port}`);
  return [...new Set([publicUrl, ...lan, `${scheme}://localhost:${port}`])];
}

/** A warning to print when no other device can open the public URL, else null. */
export function loopbackWarning(config: Pick<PodiumConfig, 'publicUrlSource'>): string | null {
  return config.publicUrlSource === 'loopback'
    ? 'WARNING: this computer has no network address besides loopback, so phones and tablets cannot ' +
        'open Podium, and QR codes and judge cards say "localhost". Join the venue network and ' +
        'restart, or set PUBLIC_URL to the address devices use.'
    : null;
}

/**
 * The Socket.IO Redis Streams adapter fire-and-forgets some publishes (its PUBLISH for
 * acknowledged broadcasts and server-side emits drops the promise), so during a Redis outage their
 * rejections reach no handler. Those must not crash the process — the store and the tablets'
 * outboxes recover once Redis is back — but any other unhandled rejection is a bug: log it and exit.
 */
function exitOnUnhandledRejection(logger: Logger): void {
  process.on('unhandledRejection', (reason: unknown) => {
    if (isRedisOutageError(reason)) {
      logger.warn({ err: reason }, 'redis unreachable: a fire-and-forget publish was dropped');
      return;
    }
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
}

/** How long a graceful shutdown may take before the process exits anyway (service managers wait 10 s+). */
const SHUTDOWN_LIMIT_MS = 4_000;

/** Start Podium from the environment and stop it gracefully on SIGTERM/SIGINT (the production entry). */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  exitOnUnhandledRejection(logger);
  const running = await startPodium(config, logger);
  announce(
    {
      port: running.port,
      tls: config.tls !== undefined,
      storeDescription: running.storeDescription,
      publicUrl: running.publicUrl,
      urls: reachableUrls(config, running.port, running.publicUrl),
      warnings: [loopbackWarning(config)].filter((w): w is string => w !== null),
      generatedAdmin: running.generatedAdmin,
      metricsPort: running.metricsPort,
    },
    logger,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    // Ctrl-C under `npm start` reaches node twice (from the terminal and forwarded by npm): a
    // repeated signal is not a reason to cut the stop short; the limit below bounds it anyway.
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long: exiting without finishing it');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    running.stop().then(
      () => {
        logger.info({ ms: Math.round(performance.now() - started) }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`Podium could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
