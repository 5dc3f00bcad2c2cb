/**
 * Entry point: read the configuration, open the store (embedded by default, Redis with
 * REDIS_URL), build the services and the Podium app, listen, and shut down gracefully.
 * `startPodium` is also what the tests and the demo use to run a real server.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createPodium, type Podium } from './app.ts';
import { AuthServiceImpl } from './auth/service.ts';
import { loadConfig, type PodiumConfig } from './config.ts';
import { ContestService } from './domain/service.ts';
import { createHttpApi } from './http/index.ts';
import { liveServiceFrom } from './live/serviceAdapter.ts';
import { createLogger, type Logger } from './logger.ts';
import { lanAddresses, publicBaseUrl } from './network.ts';
import { checkDurabilityAtStart } from './store/durability.ts';
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
  /** The base URL other devices open: PUBLIC_URL, else the LAN address on the port listened on. */
  publicUrl: string;
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
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis (live layer) error'));
  // With Redis, board deltas reach the broadcaster through the commit script's change feed
  // (app.ts wires RedisBoardFeed), so the service need not read ranks for its own.
  const service = new ContestService({ store, logger, boardDeltas: !(redis && store.kind === 'redis') });
  const auth = new AuthServiceImpl({ store, logger, ...(redis ? { redis } : {}) });
  const generatedAdmin = await auth.ensureOrganiser(config.adminUser, config.adminPassword);
  // The HTTP API lists audiences, which the live layer counts: read through `podium` once built.
  const built: { podium?: Podium } = {};
  // With PORT=0 the port, and so a derived public URL, is known only once listening.
  let publicUrl = config.publicUrl;
  const api = createHttpApi({
    service,
    auth,
    store,
    logger,
    publicUrl: () => publicUrl,
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
    durability,
    ...(redis ? { redis } : {}),
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
  let stopping: Promise<void> | undefined;
  built.podium = podium;
  return {
    podium,
    store,
    service,
    auth,
    port,
    publicUrl,
    storeDescription: description,
    generatedAdmin,
    stop() {
      stopping ??= (async () => {
        await podium.close();
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

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  exitOnUnhandledRejection(logger);
  const running = await startPodium(config, logger);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say('');
  say(`Podium is listening on port ${running.port}${config.tls ? ' (HTTPS)' : ''}.`);
  say(running.storeDescription);
  say(`Phones and tablets open ${running.publicUrl}/ (QR codes and judge cards carry this address).`);
  for (const url of reachableUrls(config, running.port, running.publicUrl)) {
    say(
      `  Organisers ${url}/admin/   Judges ${url}/judge/   Big screen ${url}/screen/   Spectators ${url}/watch/`,
    );
  }
  const warning = loopbackWarning(config);
  if (warning !== null) say(warning);
  if (running.publicUrl.startsWith('http://') && warning === null)
    say('Plain HTTP: judge tablets work, but cannot start offline (docs/DEPLOY.md, "HTTPS at the venue").');
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
