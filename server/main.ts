/**
 * Entry point: read the configuration, open the store (embedded by default, Redis with
 * REDIS_URL), build the services and the Podium app, listen, and shut down gracefully.
 * `startPodium` is also what the tests and the demo use to run a real server.
 */
import { networkInterfaces } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createPodium, type Podium } from './app.ts';
import { AuthServiceImpl } from './auth/service.ts';
import { loadConfig, type PodiumConfig } from './config.ts';
import { ContestService } from './domain/service.ts';
import { createHttpApi } from './http/index.ts';
import { liveServiceFrom } from './live/serviceAdapter.ts';
import { createLogger, type Logger } from './logger.ts';
import { openStore } from './store/index.ts';
import type { Store } from './store/types.ts';
import { isRedisOutageError } from './store/outage.ts';

export interface RunningPodium {
  podium: Podium;
  store: Store;
  service: ContestService;
  auth: AuthServiceImpl;
  /** The port actually listened on (useful with PORT=0). */
  port: number;
  /** One sentence: which store is used. */
  storeDescription: string;
  /** Set when this start created the organiser account with a generated password. */
  generatedAdmin: { user: string; password: string } | null;
  stop(): Promise<void>;
}

/** Open the store, wire everything and listen on config.host:config.port. */
export async function startPodium(config: PodiumConfig, logger: Logger): Promise<RunningPodium> {
  const { store, description } = await openStore({
    dataDir: config.dataDir,
    logger: { warn: (message) => logger.warn(message) },
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  });
  // The store keeps its own connection; this one serves the Socket.IO adapter, presence,
  // audience and rate limits (the adapter duplicates it for its blocking reads).
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis (live layer) error'));
  // With Redis, board deltas reach the broadcaster through the commit script's change feed
  // (app.ts wires RedisBoardFeed), so the service need not read ranks for its own.
  const service = new ContestService({ store, logger, boardDeltas: !(redis && store.kind === 'redis') });
  const auth = new AuthServiceImpl({ store, logger, ...(redis ? { redis } : {}) });
  const generatedAdmin = await auth.ensureOrganiser(config.adminUser, config.adminPassword);
  // The HTTP API lists audiences, which the live layer counts: read through `podium` once built.
  const built: { podium?: Podium } = {};
  const api = createHttpApi({
    service,
    auth,
    store,
    logger,
    publicUrl: config.publicUrl,
    audience: (competitionId) => built.podium?.audience.lastKnown(competitionId) ?? 0,
  });
  const podium = createPodium({
    store,
    service: liveServiceFrom(service, store),
    auth,
    logger,
    config,
    limits: auth.limits,
    api,
    ...(redis ? { redis } : {}),
  });
  const server = podium.httpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  let stopping: Promise<void> | undefined;
  built.podium = podium;
  return {
    podium,
    store,
    service,
    auth,
    port,
    storeDescription: description,
    generatedAdmin,
    stop() {
      stopping ??= (async () => {
        await podium.close();
        await api.close();
        await store.close();
        await redis?.quit().catch(() => undefined);
      })();
      return stopping;
    },
  };
}

/** The addresses people can open: the public URL, then this machine's LAN addresses. */
export function reachableUrls(config: PodiumConfig, port: number): string[] {
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a?.address}:${port}`);
  return [...new Set([config.publicUrl, `http://localhost:${port}`, ...lan])];
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

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  exitOnUnhandledRejection(logger);
  const running = await startPodium(config, logger);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say('');
  say(`Podium is listening on port ${running.port}.`);
  say(running.storeDescription);
  for (const url of reachableUrls(config, running.port)) {
    say(
      `  Organisers ${url}/admin/   Judges ${url}/judge/   Big screen ${url}/screen/   Spectators ${url}/watch/`,
    );
  }
  if (running.generatedAdmin) {
    say(
      `Organiser account created: user "${running.generatedAdmin.user}", password ` +
        `"${running.generatedAdmin.password}" (shown once; set PODIUM_ADMIN_PASSWORD to choose it).`,
    );
  }
  say('Health: /healthz   Readiness: /readyz   Metrics: /metrics');
  say('');

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`Podium could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
