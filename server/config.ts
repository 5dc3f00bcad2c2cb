/**
 * Podium's settings, read once from the environment and validated. Everything else receives the
 * typed object; only server/main.ts and scripts call loadConfig().
 */
import { networkInterfaces } from 'node:os';
import { z } from 'zod';
import type { SocketBudgetOverrides } from './live/socketBudgets.ts';

const originSchema = z.url().transform((u) => new URL(u).origin);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url().optional(),
  PODIUM_DATA_DIR: z.string().min(1).default('./data'),
  /** Comma-separated exact origins allowed to open sockets, e.g. "https://podium.example.org". */
  PODIUM_ALLOWED_ORIGINS: z.string().optional(),
  /** The address people type or scan; used in printed links and as the default allowed origin. */
  PUBLIC_URL: z.url().optional(),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface PodiumConfig {
  port: number;
  host: string;
  redisUrl: string | undefined;
  dataDir: string;
  /** Exact origins (scheme://host[:port]) allowed to connect sockets; others are refused. */
  allowedOrigins: string[];
  publicUrl: string;
  /** Board broadcast coalescing window in milliseconds (0: every change goes out on its own). */
  coalesceMs: number;
  /** Express 'trust proxy' value: the proxies whose X-Forwarded-For is believed. */
  trustProxy: string;
  adminUser: string;
  adminPassword: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Per-socket limits other than the defaults (server/live/socketBudgets.ts); not read from the environment. */
  socketBudgets?: SocketBudgetOverrides;
}

/** Parse and validate the environment into a PodiumConfig; throws a readable error when invalid. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PodiumConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const listed = (e.PODIUM_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const origins = listed.length > 0 ? listed : defaultOrigins(publicUrl, e.PORT);
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
    coalesceMs: e.PODIUM_COALESCE_MS,
    trustProxy: e.PODIUM_TRUST_PROXY,
    adminUser: e.PODIUM_ADMIN_USER,
    adminPassword: e.PODIUM_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * Without an explicit list: the public URL, localhost and this machine's LAN addresses on this
 * port — so tablets on the venue Wi-Fi work out of the box, and nothing else does.
 */
function defaultOrigins(publicUrl: string, port: number): string[] {
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4')
    .map((a) => `http://${a?.address}:${port}`);
  return [publicUrl, `http://localhost:${port}`, ...lan];
}
