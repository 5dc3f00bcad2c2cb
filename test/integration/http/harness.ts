/**
 * A real HTTP server for the API tests: express with createHttpApi at /api on port 0, a real
 * store (embedded in a temp folder, or Redis), a real ContestService and AuthServiceImpl.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Redis from 'ioredis';
import type { Command } from '../../../shared/commands.ts';
import { competitionSchema, type Competition, type CompetitionInput } from '../../../shared/model.ts';
import { RateLimits, type RateLimitSettings } from '../../../server/auth/rate-limits.ts';
import { AuthServiceImpl } from '../../../server/auth/service.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createHttpApi } from '../../../server/http/index.ts';
import type { FeedOptions } from '../../../server/http/feedConnections.ts';
import type { WebhookOptions } from '../../../server/http/webhooks/dispatcher.ts';
import { createLogger } from '../../../server/logger.ts';
import { EmbeddedStore, RedisStore, type Store } from '../../../server/store/index.ts';

export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'correct-horse-battery';
export const PUBLIC_URL = 'https://podium.example.org';

export interface Api {
  url: string;
  store: Store;
  service: ContestService;
  auth: AuthServiceImpl;
  /** fetch relative to /api, with a JSON body when `json` is given. */
  call(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>;
  organiserToken(): Promise<string>;
  stop(): Promise<void>;
}

export interface ApiOptions {
  redisUrl?: string;
  rateLimits?: Partial<RateLimitSettings>;
  /** Insight reads per address and second (a small one makes a flood quick to show). */
  insightReadsPerSecond?: number;
  /** Event feed settings (short keep-alives and small connection limits in tests). */
  feed?: Partial<FeedOptions>;
  /** Webhook timings (short backoffs and leases in tests). */
  webhooks?: Partial<WebhookOptions>;
  /** Reuse this store (several "nodes" on one store); the caller closes it. */
  store?: Store;
}

/** Start the API on a free port. */
export async function startApi(options: ApiOptions = {}): Promise<Api> {
  const dir = mkdtempSync(join(tmpdir(), 'podium-http-'));
  const redis = options.redisUrl === undefined ? undefined : new Redis(options.redisUrl);
  const ownStore = options.store === undefined;
  const store =
    options.store ??
    (options.redisUrl === undefined ? await EmbeddedStore.open(dir) : new RedisStore(options.redisUrl));
  const logger = createLogger('silent');
  const service = new ContestService({ store, logger });
  const auth = new AuthServiceImpl({
    store,
    logger,
    // In Redis when there is one (shared by every node on it, as Cluster.rateLimits gives them);
    // unique counters per test server, so parallel test files never share limits.
    limits: new RateLimits(redis, { keyPrefix: `test-rl-${randomUUID()}`, ...options.rateLimits }),
  });
  await auth.ensureOrganiser(ADMIN_USER, ADMIN_PASSWORD);
  const app = express();
  const httpApi = createHttpApi({
    service,
    auth,
    store,
    logger,
    publicUrl: PUBLIC_URL,
    ...(options.feed ? { feed: options.feed } : {}),
    ...(options.insightReadsPerSecond ? { insightReadsPerSecond: options.insightReadsPerSecond } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  app.use('/api', httpApi);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

  const call: Api['call'] = (path, init = {}) => {
    const { json, token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${url}/api${path}`, {
      ...rest,
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  };

  return {
    url,
    store,
    service,
    auth,
    call,
    async organiserToken() {
      const res = await call('/auth/organiser', {
        method: 'POST',
        json: { user: ADMIN_USER, password: ADMIN_PASSWORD },
      });
      const body = (await res.json()) as { token: string };
      return body.token;
    },
    async stop() {
      await httpApi.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownStore) await store.close();
      await redis?.quit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A unique competition id, so tests sharing a store never meet. */
export function uniqueId(prefix = 'c'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A two-judge welding contest with three contestants. */
export function sampleCompetition(id: string, overrides: Partial<CompetitionInput> = {}): Competition {
  return competitionSchema.parse({
    id,
    name: '全国职业技能大赛 焊工',
    events: [
      {
        id: 'weld',
        name: '焊工',
        criteria: [{ id: 'quality', label: '质量', max: 100, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      { id: 'A001', eventId: 'weld', bib: 'A001', name: '张三', organisation: '一厂', region: '江苏' },
      { id: 'A002', eventId: 'weld', bib: 'A002', name: '李四', organisation: '二厂', region: '浙江' },
    ],
    judges: [
      { id: 'j1', name: '赵裁判', role: 'judge', eventIds: ['weld'] },
      { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: ['weld'] },
    ],
    ...overrides,
  });
}

/** PUT a set-up as the organiser; throws unless accepted. */
export async function putSetup(api: Api, token: string, competition: Competition): Promise<void> {
  const res = await api.call(`/competitions/${competition.id}/setup`, {
    method: 'PUT',
    token,
    json: { opId: randomUUID(), competition },
  });
  if (res.status !== 200) throw new Error(`setup refused: ${res.status} ${await res.text()}`);
}

/** The organiser the harness signs in as, for commands run straight on the service. */
export const ORGANISER: Actor = { kind: 'organiser', id: ADMIN_USER };

/** Run a command on the service as `actor` (the organiser by default); returns its log id. */
export async function runCommand(api: Api, command: Command, actor: Actor = ORGANISER): Promise<string> {
  return (await api.service.execute(actor, command)).logId;
}

/** Open a round (the sample competition's weld/r1 by default). */
export async function openRound(
  api: Api,
  competitionId: string,
  eventId = 'weld',
  roundId = 'r1',
): Promise<void> {
  await runCommand(api, {
    name: 'round.state',
    payload: { opId: randomUUID(), competitionId, eventId, roundId, state: 'open' },
  });
}

export interface MarkInput {
  competitionId: string;
  contestantId: string;
  judgeId: string;
  marks: Record<string, string>;
  eventId?: string;
  roundId?: string;
  /** The judge's role; judges with an id starting with "c" are chiefs unless told. */
  role?: 'judge' | 'chief';
}

/** Submit one judge's marks for one contestant as that judge; returns the log id. */
export async function submitMarks(api: Api, input: MarkInput): Promise<string> {
  const { competitionId, contestantId, judgeId, marks, eventId = 'weld', roundId = 'r1' } = input;
  const role = input.role ?? (judgeId.startsWith('c') ? 'chief' : 'judge');
  return runCommand(
    api,
    {
      name: 'marks.submit',
      payload: { opId: randomUUID(), competitionId, eventId, roundId, contestantId, marks },
    },
    { kind: 'judge', judgeId, competitionId, role },
  );
}
