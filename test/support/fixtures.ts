/**
 * A seeded competition with a signed-in credential for every kind of actor, and the helpers to
 * send writes as them and to prove a refused write changed nothing. Reusable by any test that runs
 * a real Podium (test/support/podium-server.ts).
 */
import { randomUUID } from 'node:crypto';
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { NS } from '../../server/auth/records.ts';
import { newToken, sha256 } from '../../server/auth/secrets.ts';
import type { Actor } from '../../server/domain/actor.ts';
import type { Store } from '../../server/store/types.ts';
import type { Command } from '../../shared/commands.ts';
import type { Ack } from '../../shared/events.ts';
import { competitionSchema, type Competition, type CompetitionInput } from '../../shared/model.ts';
import type { TestPodium } from './podium-server.ts';

export const ORGANISER: Actor = { kind: 'organiser', id: 'admin' };
/** The origin the test Podium allows by default (startTestPodium). */
export const ALLOWED_ORIGIN = 'http://localhost:3000';

/** A unique competition id, so tests sharing one Redis never meet. */
export function uniqueId(prefix = 'sec'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A fresh operation id. */
export function opId(): string {
  return `op-${randomUUID()}`;
}

/** Contestants of event e1 (c1…c20) and of event e2 (d1, d2). */
export const E1_CONTESTANTS = Array.from({ length: 20 }, (_, i) => `c${i + 1}`);
/** The e1/r1 sheet the chief judge locks while seeding. */
export const LOCKED_CONTESTANT = 'c20';

/**
 * Two events: e1 (judged criterion q: 0–10 in steps of 0.5, measured criterion t: 0–100 in steps
 * of 0.01; rounds r1, whose best 8 advance, and r2) and e2 (criterion q; round r1). Judges j1 and jl (judge "after lock")
 * and chief judge `chief` in e1; judge j2 only in e2; judge jr in e1 (its code gets revoked); judge
 * js in e1, signed in by nobody (for tests that issue and revoke codes).
 */
export function securityCompetition(id: string): Competition {
  const input: CompetitionInput = {
    id,
    name: `Security ${id}`,
    events: [
      {
        id: 'e1',
        name: 'Welding',
        criteria: [
          { id: 'q', label: 'Quality', max: 10, step: 0.5 },
          { id: 't', label: 'Time', max: 100, step: 0.01, kind: 'measured' },
        ],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [
          { id: 'r1', name: 'Heat', kind: 'preliminary', mode: 'onsite', advance: 8 },
          { id: 'r2', name: 'Final', kind: 'final', mode: 'onsite' },
        ],
      },
      {
        id: 'e2',
        name: 'Plumbing',
        criteria: [{ id: 'q', label: 'Quality', max: 10, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      ...E1_CONTESTANTS.map((c, i) => ({
        id: c,
        eventId: 'e1',
        bib: `A${i + 1}`,
        name: `Contestant ${i + 1}`,
        organisation: i % 2 === 0 ? 'North Works' : 'South Works',
        region: 'North',
      })),
      { id: 'd1', eventId: 'e2', bib: 'B1', name: 'Plumber 1', organisation: 'North Works', region: 'North' },
      { id: 'd2', eventId: 'e2', bib: 'B2', name: 'Plumber 2', organisation: 'South Works', region: 'South' },
    ],
    judges: [
      { id: 'j1', name: 'Judge One', role: 'judge', eventIds: ['e1'] },
      { id: 'jl', name: 'Judge Late', role: 'judge', eventIds: ['e1'] },
      { id: 'jr', name: 'Judge Revoked', role: 'judge', eventIds: ['e1'] },
      { id: 'chief', name: 'Chief Judge', role: 'chief', eventIds: ['e1'] },
      { id: 'j2', name: 'Judge Two', role: 'judge', eventIds: ['e2'] },
      { id: 'js', name: 'Judge Spare', role: 'judge', eventIds: ['e1'] },
    ],
  };
  return competitionSchema.parse(input);
}

/** Every kind of caller, each with what it presents. */
export interface Credentials {
  organiser: string;
  /** Judge j1, assigned to e1. */
  judge: string;
  /** Judge jl, assigned to e1, whose target sheet (LOCKED_CONTESTANT) is locked. */
  lateJudge: string;
  chief: string;
  /** Judge j2, assigned to e2 only. */
  otherEventJudge: string;
  /** Judge jr's session, opened before its code was revoked. */
  revokedJudge: string;
  /** An organiser session whose record says it expired a minute ago. */
  expired: string;
  /** A well-formed token no server ever issued. */
  forged: string;
  /** An integration API key of this competition. */
  apiKey: string;
  /** Team leaders' sessions, for tests that add teams (security/roles.test.ts): t1's (c10's team) … */
  leader?: string;
  /** … another team's (t2) … */
  otherLeader?: string;
  /** … and t3's, opened before its code was revoked. */
  revokedLeader?: string;
}

export interface SeededCompetition {
  competitionId: string;
  setup: Competition;
  credentials: Credentials;
}

/** Put the set-up, open e1/r1 and e2/r1, mark and lock a sheet, and sign every actor in. */
export async function seedCompetition(
  podium: TestPodium,
  competitionId = uniqueId(),
): Promise<SeededCompetition> {
  const setup = securityCompetition(competitionId);
  const run = (actor: Actor, command: Command) => podium.service.execute(actor, command);
  await run(ORGANISER, { name: 'setup.put', payload: { opId: opId(), competition: setup } });
  for (const eventId of ['e1', 'e2']) {
    await run(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId, eventId, roundId: 'r1', state: 'open' },
    });
  }
  const judgeActor = (judgeId: string, role: 'judge' | 'chief' = 'judge'): Actor => ({
    kind: 'judge',
    judgeId,
    competitionId,
    role,
  });
  const sheet = { competitionId, eventId: 'e1', roundId: 'r1' };
  await run(judgeActor('j1'), {
    name: 'marks.submit',
    payload: { opId: opId(), ...sheet, contestantId: 'c1', marks: { q: '8.5' } },
  });
  await run(judgeActor('chief', 'chief'), {
    name: 'sheet.lock',
    payload: { opId: opId(), ...sheet, contestantId: LOCKED_CONTESTANT, locked: true },
  });

  const revokedJudge = await podium.judgeToken(competitionId, 'jr');
  await podium.auth.revokeJudgeCode(competitionId, 'jr');
  const expired = newToken();
  await podium.store.putRecord(NS.session, sha256(expired), {
    actor: { kind: 'organiser', id: 'admin' },
    expiresAt: Date.now() - 60_000,
  });
  const credentials: Credentials = {
    organiser: await podium.organiserToken(),
    judge: await podium.judgeToken(competitionId, 'j1'),
    lateJudge: await podium.judgeToken(competitionId, 'jl'),
    chief: await podium.judgeToken(competitionId, 'chief'),
    otherEventJudge: await podium.judgeToken(competitionId, 'j2'),
    revokedJudge,
    expired,
    forged: newToken(),
    apiKey: (await podium.auth.issueApiKey(competitionId, 'Timing system', ORGANISER)).key,
  };
  return { competitionId, setup, credentials };
}

/** Everything a write could change in a competition, for before/after comparisons. */
export interface StateSnapshot {
  logLength: number;
  setup: unknown;
  control: unknown;
  sheets: unknown;
  boards: Record<string, unknown>;
  /** The competition's judge and team-leader codes and API keys (sessions are left out: sign-ins open them). */
  credentials: unknown;
}

/** Number of entries in a competition's log. */
export async function logLength(store: Store, competitionId: string): Promise<number> {
  let n = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.readLog(competitionId, after, 1000);
    n += page.length;
    if (page.length < 1000) return n;
    after = page.at(-1)?.id;
  }
}

/** A namespace's records that belong to one competition, in id order. */
async function recordsOf(store: Store, ns: string, competitionId: string): Promise<unknown[]> {
  return (await store.listRecords(ns))
    .filter(
      (r) =>
        r.id.startsWith(`${competitionId}.`) ||
        (typeof r.value === 'object' &&
          r.value !== null &&
          (r.value as { competitionId?: unknown }).competitionId === competitionId),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Read the whole state of a competition from the store. */
export async function snapshotState(store: Store, competitionId: string): Promise<StateSnapshot> {
  const boards: Record<string, unknown> = {};
  for (const board of (await store.listBoards(competitionId)).sort()) {
    boards[board] = await store.top(competitionId, board, 0, 10_000);
  }
  const sheets = (await store.getSheets(competitionId))
    .map((s) => ({ ...s, id: `${s.key.eventId}|${s.key.roundId}|${s.key.contestantId}` }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    logLength: await logLength(store, competitionId),
    setup: (await store.getSetup(competitionId)).value,
    control: (await store.getControl(competitionId)).value,
    sheets,
    boards,
    credentials: {
      codes: await recordsOf(store, NS.judgeCode, competitionId),
      codeOf: await recordsOf(store, NS.judgeCodeOf, competitionId),
      apiKeys: await recordsOf(store, NS.apiKey, competitionId),
      leaderCodes: await recordsOf(store, NS.leaderCode, competitionId),
      leaderCodeOf: await recordsOf(store, NS.leaderCodeOf, competitionId),
    },
  };
}

/** An HTTP answer: status and parsed JSON body (or the text when it is not JSON). */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

export interface HttpCall {
  method?: string;
  token?: string;
  apiKey?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (raw JSON text, CSV bytes, archives). */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** Call `${url}${path}` and read the answer. */
export async function http(url: string, path: string, call: HttpCall = {}): Promise<HttpAnswer> {
  const headers = new Headers(call.headers);
  if (call.token !== undefined) headers.set('authorization', `Bearer ${call.token}`);
  if (call.apiKey !== undefined) headers.set('x-api-key', call.apiKey);
  let body: BodyInit | undefined;
  if (call.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(call.json);
  } else if (call.body !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    body = typeof call.body === 'string' ? call.body : Buffer.from(call.body);
  }
  const res = await fetch(`${url}${path}`, {
    method: call.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) parsed = value as Record<string, unknown>;
  } catch {
    // CSV, archives and plain-text answers have no JSON body.
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** True when GET /healthz answers 200 "ok". */
export async function healthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/healthz`);
  return res.status === 200 && (await res.text()) === 'ok';
}

export type Namespace = '/public' | '/judge' | '/admin';
type ClientOptions = Partial<ManagerOptions & SocketOptions>;

const openSockets = new Set<Socket>();

function open(url: string, namespace: Namespace, options: ClientOptions): Socket {
  const socket = connect(`${url}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  openSockets.add(socket);
  return socket;
}

/** Connect to a namespace and wait for the connection (rejects with the connect_error). */
export async function connectSocket(
  url: string,
  namespace: Namespace,
  options: ClientOptions = {},
): Promise<Socket> {
  const socket = open(url, namespace, options);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Connect a socket that should be refused: resolves with the connect_error message. */
export function refusedSocket(
  url: string,
  namespace: Namespace,
  options: ClientOptions = {},
): Promise<string> {
  const socket = open(url, namespace, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error(`${namespace} connected but should have been refused`)));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

/** Close every socket opened by these helpers. */
export function closeSockets(): void {
  for (const s of openSockets) s.close();
  openSockets.clear();
}

/** Emit with an acknowledgement; rejects when none comes within `ms`. */
export function ask<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  args: unknown[],
  ms = 5_000,
): Promise<Ack<T>> {
  return socket.timeout(ms).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Run `attempt` again while it answers 'rate_limited' (the write limits are not what the caller
 * tests); gives up after `tries`.
 */
export async function beyondRateLimit<T extends { code?: unknown }>(
  attempt: () => Promise<T>,
  tries = 8,
): Promise<T> {
  for (let i = 1; ; i++) {
    const answer = await attempt();
    if (answer.code !== 'rate_limited' || i >= tries) return answer;
    await sleep(1_100);
  }
}
