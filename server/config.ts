/**
 * Podium's settings, read once from the environment and validated. Everything else receives the
 * typed object; only server/main.ts and scripts call loadConfig().
 */
import { venueLinkConfig, type VenueLinkConfig } from './venue/venueConfig.ts';
import { networkInterfaces } from 'node:os';
import { z } from 'zod';
import { publicBaseUrl, type PublicUrlSource } from './network.ts';
import type { SocketBudgetOverrides } from './live/socketBudgets.ts';

const originSchema = z.url().transform((u) => new URL(u).origin);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url().optional(),
  PODIUM_DATA_DIR: z.string().min(1).default('./data'),
  /** Comma-separated exact origins allowed to open sockets, e.g. "https://podium.example.org". */
  PODIUM_ALLOWED_ORIGINS: z.string().optional(),
  /**
   * The address people type or scan; used in printed links, QR codes and login cards, and as the
   * default allowed origin. Without it: this machine's LAN address (first non-internal IPv4).
   */
  PUBLIC_URL: z.url().optional(),
  /** PEM certificate (chain) and private key files: with both, Podium serves HTTPS (docs/DEPLOY.md). */
  PODIUM_TLS_CERT: z.string().min(1).optional(),
  PODIUM_TLS_KEY: z.string().min(1).optional(),
  PODIUM_COALESCE_MS: z.coerce.number().int().min(0).max(5_000).default(100),
  /**
   * Which proxies may set X-Forwarded-For (Express 'trust proxy' syntax). Only loopback by
   * default: trusting the venue LAN would let any tablet fake its address and dodge the
   * sign-in rate limit. Set it to the load balancer's address(es) behind one.
   */
  PODIUM_TRUST_PROXY: z.string().min(1).default('loopback'),
  PODIUM_ADMIN_USER: z.string().min(1).default('admin'),
  /** Sets (resets) the organiser password at start; without it a first start generates one. */
  PODIUM_ADMIN_PASSWORD: z.string().min(10).optional(),
  /** 1: refuse to start unless the store keeps acknowledged writes through a power loss. */
  PODIUM_REQUIRE_DURABLE: z.enum(['0', '1', 'true', 'false', '']).default('0'),
  /** Serve /metrics only on this port (and PODIUM_METRICS_HOST), not on the public one. */
  PODIUM_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Address of the metrics port; HOST by default. */
  PODIUM_METRICS_HOST: z.string().min(1).optional(),
  /** When set, /metrics asks for `Authorization: Bearer <this>`. */
  PODIUM_METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface PodiumConfig {
  port: number;
  host: string;
  redisUrl: string | undefined;
  dataDir: string;
  /** Exact origins (scheme://host[:port]) allowed to connect sockets; others are refused. */
  allowedOrigins: string[];
  /** The base URL other devices open (no trailing slash): PUBLIC_URL, else the LAN address. */
  publicUrl: string;
  /** Where publicUrl came from; 'loopback' means no other device can open it (main.ts warns). */
  publicUrlSource?: PublicUrlSource;
  /** Serve HTTPS with this certificate and key (PEM file paths); plain HTTP when absent. */
  tls?: { certFile: string; keyFile: string };
  /** Board broadcast coalescing window in milliseconds (0: every change goes out on its own). */
  coalesceMs: number;
  /** Express 'trust proxy' value: the proxies whose X-Forwarded-For is believed. */
  trustProxy: string;
  adminUser: string;
  adminPassword: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** PODIUM_REQUIRE_DURABLE=1: refuse to start on a store that is not durable (server/store/durability.ts). */
  requireDurable?: boolean;
  /** When set, /metrics is served only on this port (see server/metricsEndpoint.ts). */
  metricsPort?: number;
  /** Address the metrics port listens on. */
  metricsHost?: string;
  /** Bearer token /metrics asks for, when set. */
  metricsToken?: string;
  /** Per-socket limits other than the defaults (server/live/socketBudgets.ts); not read from the environment. */
  socketBudgets?: SocketBudgetOverrides;
  /** Set on a venue node (PODIUM_HUB_URL, PODIUM_VENUE_KEY): its link to the hub (docs/VENUES.md). */
  venueLink?: VenueLinkConfig;
}

/** Parse and validate the environment into a PodiumConfig; throws a readable error when invalid. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PodiumConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  if ((e.PODIUM_TLS_CERT === undefined) !== (e.PODIUM_TLS_KEY === undefined)) {
    throw new Error('Invalid configuration: set both PODIUM_TLS_CERT and PODIUM_TLS_KEY, or neither');
  }
  const tls =
    e.PODIUM_TLS_CERT !== undefined && e.PODIUM_TLS_KEY !== undefined
      ? { certFile: e.PODIUM_TLS_CERT, keyFile: e.PODIUM_TLS_KEY }
      : undefined;
  const base = publicBaseUrl({ publicUrl: e.PUBLIC_URL, tls: tls !== undefined, port: e.PORT });
  const publicUrl = base.url;
  const listed = (e.PODIUM_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const origins = listed.length > 0 ? listed : defaultOrigins(publicUrl, e.PORT, tls !== undefined);
  const allowedOrigins = origins.map((o) => {
    const r = originSchema.safeParse(o);
    if (!r.success) throw new Error(`Invalid configuration: PODIUM_ALLOWED_ORIGINS: "${o}" is not a URL`);
    return r.data;
  });
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    dataDir: e.PODIUM_DATA_DIR,
    allowedOrigins: [...new Set(allowedOrigins)],
    publicUrl,
    publicUrlSource: base.source,
    ...(tls === undefined ? {} : { tls }),
    coalesceMs: e.PODIUM_COALESCE_MS,
    trustProxy: e.PODIUM_TRUST_PROXY,
    adminUser: e.PODIUM_ADMIN_USER,
    adminPassword: e.PODIUM_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    requireDurable: e.PODIUM_REQUIRE_DURABLE === '1' || e.PODIUM_REQUIRE_DURABLE === 'true',
    ...(e.PODIUM_METRICS_PORT === undefined
      ? {}
      : { metricsPort: e.PODIUM_METRICS_PORT, metricsHost: e.PODIUM_METRICS_HOST ?? e.HOST }),
    ...(e.PODIUM_METRICS_TOKEN === undefined ? {} : { metricsToken: e.PODIUM_METRICS_TOKEN }),
    ...venueLinkOf(env),
  };
}

/**
 * Without an explicit list: the public URL, localhost and this machine's LAN addresses on this
 * port — so tablets on the venue Wi-Fi work out of the box, and nothing else does.
 */
function defaultOrigins(publicUrl: string, port: number, tls: boolean): string[] {
  const scheme = tls ? 'https' : 'http';
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4')
    .map((a) => `${scheme}://${a?.address}:${port}`);
  return [publicUrl, `${scheme}://localhost:${port}`, ...lan];
}

function venueLinkOf(env: NodeJS.ProcessEnv): { venueLink?: VenueLinkConfig } {
  const venueLink = venueLinkConfig(env);
  return venueLink === null ? {} : { venueLink };
}
