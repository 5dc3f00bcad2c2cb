/**
 * Fuzzing every input of a real Podium (embedded store, real sockets and HTTP): each socket event
 * of /public, /judge and /admin and each HTTP route gets malformed, wrongly typed, oversized and
 * hostile payloads. Every bad input gets a clear error code, the server stays up, the competition
 * is exactly as it was, and Object.prototype is untouched.
 */
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandSchemas, putSetupSchema, type CommandName } from '../../../shared/commands.ts';
import { errorCodes } from '../../../shared/events.ts';
import { idSchema, RESERVED_IDS, safeText } from '../../../shared/text.ts';
import {
  boardRequestSchema,
  heartbeatSchema,
  sheetsRequestSchema,
  watchSchema,
} from '../../../server/live/requests.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  ask,
  beyondRateLimit,
  closeSockets,
  connectSocket,
  healthy,
  http,
  opId,
  ORGANISER,
  seedCompetition,
  snapshotState,
  uniqueId,
  type SeededCompetition,
  type StateSnapshot,
} from '../../support/fixtures.ts';
import {
  applyMutation,
  HOSTILE_STRINGS,
  mutation,
  overTheWire,
  prototypeKeys,
  refusedBy,
} from './hostile.ts';

/** Sockets refuse messages over 64 KiB (tested in abuse.test.ts); stay under it here. */
const SOCKET_HUGE = 20_000;
/** Over the 256 KiB JSON limit of the small HTTP routes. */
const HTTP_HUGE = 300_000;
const BOARD = 'e1|r1|individual';
const LOOSE = { perSecond: 100_000, burst: 100_000, inFlight: 1_000, queue: 1_000 };
const LOOSE_SOCKET_BUDGETS = { read: LOOSE, board: LOOSE, write: LOOSE, notice: LOOSE, unknown: LOOSE };

interface SocketEvent {
  event: string;
  /** The schema the server parses the payload with; undefined for events that take none. */
  schema?: z.ZodType;
  base: unknown;
  /** False for events without an acknowledgement. */
  acks: boolean;
}

/** Counting the cases each property really tried (fc.pre skips do not count). */
function counter() {
  let n = 0;
  return {
    hit: () => (n += 1),
    get count() {
      return n;
    },
  };
}

describe('fuzzing every input (embedded store)', () => {
  let podium: TestPodium;
  let seeded: SeededCompetition;
  let before: StateSnapshot;
  const protoBefore = prototypeKeys();
  let id: string;
  let organiser: string;

  beforeAll(async () => {
    // The fuzzer sends hundreds of frames a second on one socket: that is a flood by the per-socket
    // limits (tested in readFlood.test.ts). Here the validation is under test, so they are loosened.
    podium = await startTestPodium({ socketBudgets: LOOSE_SOCKET_BUDGETS });
    seeded = await seedCompetition(podium);
    id = seeded.competitionId;
    organiser = seeded.credentials.organiser;
    before = await snapshotState(podium.store, id);
  });

  afterEach(async () => {
    expect(await healthy(podium.url), 'the server answers /healthz').toBe(true);
    expect(prototypeKeys(), 'Object.prototype gained no key').toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshotState(podium.store, id), 'the competition is unchanged').toEqual(before);
  });

  afterAll(async () => {
    closeSockets();
    await podium.stop();
  });

  /** A valid payload of each command, aimed at contestant c9 of the seeded competition. */
  function validCommand(name: CommandName): Record<string, unknown> {
    const sheet = { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1', contestantId: 'c9' };
    const round = { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r2' };
    const payloads: Record<CommandName, Record<string, unknown>> = {
      'marks.submit': { ...sheet, marks: { q: '7.5' } },
      'measured.enter': { ...sheet, criterionId: 't', value: '12.34' },
      'deduction.add': { ...sheet, deduction: { id: 'd1', points: '1', reason: 'Safety' } },
      'deduction.remove': { ...sheet, deductionId: 'd1', reason: 'Appeal' },
      'mark.correct': { ...sheet, judgeId: 'j1', criterionId: 'q', value: '6', reason: 'Recount' },
      'outcome.set': { ...sheet, outcome: 'dnf', reason: 'Fell' },
      'finish.set': { ...sheet, finishedAt: 1_700_000_000_000 },
      'sheet.lock': { ...sheet, locked: true },
      'setup.put': { opId: opId(), competition: seeded.setup },
      'round.state': { ...round, state: 'open' },
      'stage.set': { ...round, contestantId: 'c9' },
      'board.freeze': { ...round, frozen: true },
      'board.reveal': round,
      'round.finalize': round,
      'event.embargo': { opId: opId(), competitionId: id, eventId: 'e1', embargoed: true },
      'display.set': {
        opId: opId(),
        competitionId: id,
        displayId: 'hall-a',
        settings: { scale: 120, rows: 8, detail: true, legend: true, rotate: 0 },
      },
      'sheet.sign': { ...sheet, signed: false, reason: 'Recount' },
      'appeal.file': { ...sheet, appealId: 'a1', grounds: 'Misread mark' },
      'appeal.decide': { ...sheet, appealId: 'a1', decision: 'upheld', reason: 'Video shows it' },
      'appeal.deadline': { opId: opId(), competitionId: id, eventId: 'e1', closesAt: 4_102_444_800_000 },
      'round.qualifiers': { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1' },
      'draw.make': { opId: opId(), competitionId: id, eventId: 'e1', numbers: { c1: '07' } },
      'draw.decode': { opId: opId(), competitionId: id, eventId: 'e1' },
      'draw.confirm': { opId: opId(), competitionId: id, eventId: 'e1' },
    };
    return payloads[name];
  }

  const commandEvents = (names: readonly CommandName[]): SocketEvent[] =>
    names.map((name) => ({
      event: `cmd:${name}`,
      schema: commandSchemas[name],
      base: validCommand(name),
      acks: true,
    }));

  /**
   * Send mutated payloads of `events` on `socket`. Payloads the event's schema refuses must get
   * exactly invalid_payload; events without a schema or an ack must simply change nothing.
   */
  async function fuzzSocket(
    area: string,
    socket: Socket,
    events: SocketEvent[],
    numRuns: number,
  ): Promise<void> {
    const cases = counter();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...events), mutation(SOCKET_HUGE), async (ev, m) => {
        const payload = applyMutation(ev.base, m);
        fc.pre(ev.schema === undefined || refusedBy(ev.schema, payload));
        cases.hit();
        if (!ev.acks || ev.schema === undefined) {
          socket.emit(ev.event, payload);
          return;
        }
        const ack = await ask(socket, ev.event, [payload]);
        expect(ack).toMatchObject({ ok: false, code: 'invalid_payload' });
        expect(ack.ok ? '' : ack.message).not.toBe('');
      }),
      { numRuns, maxSkipsPerRun: 1_000 },
    );
    console.log(`fuzz: ${cases.count} cases on ${area}`);
    expect(socket.connected, `${area}: the socket is still connected`).toBe(true);
  }

  it('/public: competition:watch, board:subscribe/unsubscribe, competition:list', async () => {
    const socket = await connectSocket(podium.url, '/public');
    const events: SocketEvent[] = [
      { event: 'competition:watch', schema: watchSchema, base: { competitionId: id }, acks: true },
      {
        event: 'board:subscribe',
        schema: boardRequestSchema,
        base: { competitionId: id, board: BOARD },
        acks: true,
      },
      { event: 'board:unsubscribe', base: { competitionId: id, board: BOARD }, acks: false },
      // Its only argument is the acknowledgement; a payload instead is ignored.
      { event: 'competition:list', base: {}, acks: false },
    ];
    await fuzzSocket('/public', socket, events, 150);
    expect(await ask(socket, 'competition:watch', [{ competitionId: id }])).toMatchObject({ ok: true });
  });

  it('/judge: every judge command, judge:sheets, judge:whoami, presence:heartbeat', async () => {
    const socket = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.chief } });
    const events: SocketEvent[] = [
      ...commandEvents([
        'marks.submit',
        'measured.enter',
        'deduction.add',
        'deduction.remove',
        'mark.correct',
        'outcome.set',
        'finish.set',
        'sheet.lock',
      ]),
      {
        event: 'judge:sheets',
        schema: sheetsRequestSchema,
        base: { eventId: 'e1', roundId: 'r1' },
        acks: true,
      },
      { event: 'presence:heartbeat', schema: heartbeatSchema, base: { eventId: 'e1' }, acks: false },
      { event: 'judge:whoami', base: {}, acks: false },
    ];
    await fuzzSocket('/judge', socket, events, 300);
    expect(await ask(socket, 'judge:whoami', [])).toMatchObject({ ok: true });
  });

  it('/admin: every command, competition:watch, board:subscribe', async () => {
    const socket = await connectSocket(podium.url, '/admin', { auth: { token: organiser } });
    const events: SocketEvent[] = [
      ...commandEvents(Object.keys(commandSchemas) as CommandName[]),
      { event: 'competition:watch', schema: watchSchema, base: { competitionId: id }, acks: true },
      {
        event: 'board:subscribe',
        schema: boardRequestSchema,
        base: { competitionId: id, board: BOARD },
        acks: true,
      },
    ];
    await fuzzSocket('/admin', socket, events, 350);
    expect(await ask(socket, 'competition:watch', [{ competitionId: id }])).toMatchObject({ ok: true });
  });

  it('/judge and /admin: schema-valid commands with bad numbers or unknown targets', async () => {
    const judge = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
    const admin = await connectSocket(podium.url, '/admin', { auth: { token: organiser } });
    const sheet = () => ({
      opId: opId(),
      competitionId: id,
      eventId: 'e1',
      roundId: 'r1',
      contestantId: 'c9',
    });
    /** A decimal string in the wire format that is not a mark of q (0–10 in steps of 0.5). */
    const badMark = fc
      .tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, scale]) => (scale === 0 ? String(n) : (n / 10 ** scale).toFixed(scale)))
      .filter((v) => !(Number(v) >= 0 && Number(v) <= 10 && Number.isInteger(Number(v) * 2)));
    const unknownId = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'zz'),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    );
    // Reserved ids ("__proto__", "constructor", "prototype") are refused by the schema (issue #12).
    const unknownCode = (target: string) => (RESERVED_IDS.has(target) ? 'invalid_payload' : 'not_found');
    const known = new Set([
      'q',
      't',
      'c9',
      'e1',
      'r1',
      'r2',
      'e2',
      ...seeded.setup.contestants.map((c) => c.id),
    ]);
    const cases = fc.oneof(
      badMark.map((v) => ({
        socket: 'judge',
        event: 'cmd:marks.submit',
        payload: { ...sheet(), marks: { q: v } },
        code: 'invalid_payload',
      })),
      // A JSON number off the step or out of range, and NaN/±Infinity (null on the wire).
      fc
        .oneof(fc.double({ noNaN: false }), fc.constantFrom(-0.5, 10.25, 7.3, 1e-7, 10.000001))
        .filter((v) => !(v >= 0 && v <= 10 && Number.isInteger(v * 2)))
        .map((v) => ({
          socket: 'judge',
          event: 'cmd:marks.submit',
          payload: { ...sheet(), marks: { q: v } },
          code: 'invalid_payload',
        })),
      unknownId
        .filter((k) => !known.has(k))
        .map((k) => ({
          socket: 'judge',
          event: 'cmd:marks.submit',
          payload: { ...sheet(), marks: JSON.parse(`{${JSON.stringify(k)}:"5"}`) as unknown },
          code: 'invalid_payload',
        })),
      unknownId
        .filter((c) => !known.has(c))
        .map((c) => ({
          socket: 'judge',
          event: 'cmd:marks.submit',
          payload: { ...sheet(), contestantId: c, marks: { q: '5' } },
          code: unknownCode(c),
        })),
      badMark.map((v) => ({
        socket: 'admin',
        event: 'cmd:measured.enter',
        payload: { ...sheet(), criterionId: 'q', value: v },
        code: 'invalid_payload',
      })),
      fc.constantFrom('-1', '100.001', '1000000', '-0.01').map((v) => ({
        socket: 'admin',
        event: 'cmd:measured.enter',
        payload: { ...sheet(), criterionId: 't', value: v },
        code: 'invalid_payload',
      })),
      fc.constantFrom('-1', '-0.000001').map((v) => ({
        socket: 'admin',
        event: 'cmd:deduction.add',
        payload: { ...sheet(), deduction: { id: 'dx', points: v, reason: 'x' } },
        code: 'invalid_payload',
      })),
      unknownId
        .filter((e) => !known.has(e))
        .map((e) => ({
          socket: 'admin',
          event: 'cmd:round.state',
          payload: { opId: opId(), competitionId: id, eventId: e, roundId: 'r1', state: 'closed' },
          code: unknownCode(e),
        })),
      unknownId
        .filter((r) => !known.has(r))
        .map((r) => ({
          socket: 'admin',
          event: 'cmd:board.reveal',
          payload: { opId: opId(), competitionId: id, eventId: 'e1', roundId: r },
          code: unknownCode(r),
        })),
      unknownId
        .filter((c) => c !== id)
        .map((c) => ({
          socket: 'admin',
          event: 'cmd:outcome.set',
          payload: { ...sheet(), competitionId: c, outcome: 'dsq' },
          code: unknownCode(c),
        })),
    );
    const tried = counter();
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        tried.hit();
        const socket = c.socket === 'judge' ? judge : admin;
        const ack = await beyondRateLimit(() =>
          ask(socket, c.event, [c.payload]).then((a) => ({ ...a, code: a.ok ? 'ok' : a.code })),
        );
        expect({ event: c.event, code: ack.code }).toEqual({ event: c.event, code: c.code });
      }),
      { numRuns: 120 },
    );
    console.log(`fuzz: ${tried.count} cases on schema-valid commands with bad values`);
  });

  it('stores a negative zero mark (-0 as a JSON number or "-0", "-0.0" as text) as zero', async () => {
    const judge = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
    const sheet = { competitionId: id, eventId: 'e1', roundId: 'r1', contestantId: 'c10' };
    for (const q of [-0, '-0', '-0.0']) {
      const ack = await beyondRateLimit(() =>
        ask(judge, 'cmd:marks.submit', [{ ...sheet, opId: opId(), marks: { q } }]).then((a) => ({
          ...a,
          code: a.ok ? 'ok' : a.code,
        })),
      );
      expect(ack.code).toBe('ok');
      const stored = await podium.store.getSheet(id, sheet);
      expect(stored.value.marks.j1?.q).toMatch(/^0(\.0+)?$/);
    }
    const row = (await podium.store.rankOf(id, BOARD, 'c10'))?.total;
    expect(row).toBe('0.00');
    // This test writes on purpose: the next ones compare against the state it leaves.
    before = await snapshotState(podium.store, id);
  });

  /** The HTTP answer is a clear refusal: 4xx JSON { ok: false, code } with a known code. */
  function expectRefusal(
    answer: { status: number; body: Record<string, unknown> },
    codes: readonly string[],
  ): void {
    expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.ok).toBe(false);
    expect(codes).toContain(answer.body.code);
    expect(errorCodes).toContain(answer.body.code);
  }

  it('HTTP: POST /competitions/:id/commands/:name bodies', async () => {
    const names = Object.keys(commandSchemas) as CommandName[];
    const tried = counter();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), mutation(HTTP_HUGE), async (name, m) => {
        const body = applyMutation(validCommand(name), m);
        // The route fills in the URL's competition id when the body has none.
        const wire = overTheWire(body);
        const withId =
          name !== 'setup.put' &&
          typeof wire === 'object' &&
          wire !== null &&
          !Array.isArray(wire) &&
          !('competitionId' in wire)
            ? { ...wire, competitionId: id }
            : wire;
        const parsed = commandSchemas[name].safeParse(withId);
        const competitionOf = (p: Record<string, unknown>) =>
          name === 'setup.put' ? (p.competition as { id: string }).id : p.competitionId;
        fc.pre(!parsed.success || competitionOf(parsed.data as Record<string, unknown>) !== id);
        tried.hit();
        const answer = await http(podium.url, `/api/competitions/${id}/commands/${name}`, {
          method: 'POST',
          token: organiser,
          body: JSON.stringify(body) ?? 'null',
        });
        expectRefusal(answer, ['invalid_payload']);
      }),
      { numRuns: 200, maxSkipsPerRun: 1_000 },
    );
    console.log(`fuzz: ${tried.count} cases on POST /commands/:name`);
  });

  it('HTTP: PUT /competitions/:id/setup with a set-up broken anywhere inside', async () => {
    const tried = counter();
    await fc.assert(
      fc.asyncProperty(mutation(HTTP_HUGE), async (m) => {
        const body = applyMutation({ opId: opId(), competition: seeded.setup }, m);
        const wire = overTheWire(body);
        const withOpId =
          typeof wire === 'object' && wire !== null && !('opId' in wire) ? { ...wire, opId: opId() } : wire;
        const parsed = putSetupSchema.safeParse(withOpId);
        fc.pre(!parsed.success || parsed.data.competition.id !== id);
        tried.hit();
        const answer = await http(podium.url, `/api/competitions/${id}/setup`, {
          method: 'PUT',
          token: organiser,
          body: JSON.stringify(body) ?? 'null',
        });
        expectRefusal(answer, ['invalid_payload']);
      }),
      { numRuns: 150, maxSkipsPerRun: 1_000 },
    );
    console.log(`fuzz: ${tried.count} cases on PUT /setup`);
  });

  it('HTTP: sign-in, judge-code and API-key bodies', async () => {
    // The routes' schemas (server/http/routes/auth.ts, credentials.ts), restated as the contract.
    const routes = [
      {
        path: '/api/auth/organiser',
        schema: z.strictObject({ user: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
        base: { user: 'admin', password: 'wrong-password' },
      },
      {
        path: '/api/auth/judge',
        schema: z.strictObject({ code: z.string().min(1).max(32) }),
        base: { code: 'ABCD-EFGH' },
      },
      {
        path: `/api/competitions/${id}/judge-codes`,
        schema: z.strictObject({ judgeIds: z.array(idSchema).max(2_000).optional() }),
        base: { judgeIds: ['js'] },
      },
      {
        path: `/api/competitions/${id}/api-keys`,
        schema: z.strictObject({ label: safeText(80) }),
        base: { label: 'Feed' },
      },
    ];
    const tried = counter();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), mutation(HTTP_HUGE), async (route, m) => {
        const body = applyMutation(route.base, m);
        // Express answers a body that is not a JSON object or array (strict JSON) with 400 too.
        fc.pre(refusedBy(route.schema, body));
        tried.hit();
        const answer = await http(podium.url, route.path, {
          method: 'POST',
          token: organiser,
          body: JSON.stringify(body) ?? 'null',
        });
        expectRefusal(answer, ['invalid_payload']);
      }),
      { numRuns: 120, maxSkipsPerRun: 1_000 },
    );
    console.log(`fuzz: ${tried.count} cases on sign-in and credential bodies`);
  });

  it('HTTP: bodies that are not JSON (NaN, Infinity, truncated, deep, polluting) on every JSON route', async () => {
    const bodies = [
      '{',
      '{"value":NaN}',
      '{"value":Infinity}',
      '{"value":-Infinity}',
      '[1,2',
      'null',
      '"text"',
      '42',
      '\u0000',
      'undefined',
      "{'single':'quotes'}",
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
      `{"x":"${'y'.repeat(HTTP_HUGE)}"}`,
    ];
    const routes: Array<[string, string]> = [
      ['POST', '/api/auth/organiser'],
      ['POST', '/api/auth/judge'],
      ['PUT', `/api/competitions/${id}/setup`],
      ['POST', `/api/competitions/${id}/commands/marks.submit`],
      ['POST', `/api/competitions/${id}/commands/setup.put`],
      ['POST', `/api/competitions/${id}/judge-codes`],
      ['POST', `/api/competitions/${id}/api-keys`],
    ];
    let tried = 0;
    for (const [method, path] of routes) {
      for (const body of bodies) {
        tried += 1;
        const answer = await http(podium.url, path, { method, token: organiser, body });
        expectRefusal(answer, ['invalid_payload']);
      }
    }
    console.log(`fuzz: ${tried} cases on non-JSON bodies`);
  });

  it('HTTP: path parameters, query strings and credentials headers', async () => {
    const badSegment = fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS).map(encodeURIComponent),
      fc.constantFrom(
        '%',
        '%E0%A4%A',
        '%C0%AF',
        '%ED%A0%80',
        '%FF',
        '%00',
        'a'.repeat(65),
        '..%2F..%2Fetc',
        '%2e%2e',
      ),
      fc.string({ maxLength: 70 }).map(encodeURIComponent),
    );
    const routes: Array<(s: string) => [string, string]> = [
      (s) => ['GET', `/api/competitions/${s}`],
      (s) => ['GET', `/api/competitions/${s}/setup`],
      (s) => ['GET', `/api/competitions/${s}/boards`],
      (s) => ['GET', `/api/competitions/${s}/results.csv?board=${s}`],
      (s) => ['GET', `/api/competitions/${id}/results.csv?board=${s}`],
      (s) => ['GET', `/api/competitions/${id}/results.csv?board[]=${s}&board[]=x`],
      (s) => ['GET', `/api/competitions/${id}/results.csv?board[a]=${s}`],
      (s) => ['GET', `/api/competitions/${s}/audit.csv`],
      (s) => ['GET', `/api/competitions/${s}/audit.json`],
      (s) => ['GET', `/api/competitions/${s}/archive`],
      (s) => ['GET', `/api/competitions/${s}/api-keys`],
      (s) => ['POST', `/api/competitions/${id}/judges/${s}/code`],
      (s) => ['DELETE', `/api/competitions/${id}/judges/${s}/code`],
      (s) => ['DELETE', `/api/competitions/${id}/api-keys/${s}`],
      (s) => ['POST', `/api/competitions/${id}/commands/${s}`],
      (s) => ['POST', `/api/competitions/${id}/import/${s}`],
      (s) => ['POST', `/api/competitions/${s}/restore`],
    ];
    const tried = counter();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), badSegment, async (route, segment) => {
        // A segment that happens to be the seeded competition's id or a real judge is not bad input.
        fc.pre(segment !== '');
        fc.pre(
          !['js', 'j1', 'jl', 'jr', 'chief', 'j2', 'contestants', 'judges'].includes(segment) &&
            segment !== id,
        );
        fc.pre(!(Object.keys(commandSchemas) as string[]).includes(segment) && !segment.startsWith('e1%7C'));
        tried.hit();
        const [method, path] = route(segment);
        const answer = await http(podium.url, path, {
          method,
          token: organiser,
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        // Revoking the code of a judge id that has none is idempotent: it says nothing was revoked.
        if (method === 'DELETE' && path.endsWith('/code') && answer.status === 200) {
          expect(answer.body).toEqual({ ok: true, revoked: false });
          return;
        }
        // The API keys of a competition id that does not exist: none.
        if (path.endsWith('/api-keys') && answer.status === 200) {
          expect(answer.body).toEqual({ ok: true, keys: [] });
          return;
        }
        expectRefusal(answer, ['invalid_payload', 'not_found']);
      }),
      { numRuns: 200, maxSkipsPerRun: 1_000 },
    );
    // Outside /api (the web apps, static files) a bad URL is a 4xx too, never a server error.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/', '/judge/', '/admin/', '/overlay/', '/watch/x/'),
        badSegment,
        async (prefix, segment) => {
          tried.hit();
          const res = await fetch(`${podium.url}${prefix}${segment}`);
          await res.arrayBuffer();
          expect(res.status, `${prefix}${segment}`).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    const header = fc.oneof(
      fc.constantFrom(
        '',
        'Bearer',
        'Bearer ',
        'Basic YWRtaW46YWRtaW4=',
        `Bearer ${'A'.repeat(43)}`,
        `Bearer ${'x'.repeat(8_000)}`,
      ),
      fc.stringMatching(/^[\x20-\x7e]{0,100}$/),
    );
    await fc.assert(
      fc.asyncProperty(header, fc.boolean(), async (value, asApiKey) => {
        tried.hit();
        const headers = asApiKey ? { 'x-api-key': value } : { authorization: value };
        const answer = await http(podium.url, `/api/competitions/${id}/setup`, { headers });
        expectRefusal(answer, ['unauthorized']);
      }),
      { numRuns: 60 },
    );
    console.log(`fuzz: ${tried.count} cases on path parameters, queries and credentials headers`);
  });

  it('HTTP: CSV imports with invalid UTF-8, control and bidi characters, random bytes', async () => {
    const header = '参赛号,姓名,单位,地区,赛项\r\n';
    const row = (name: string) => `Z1,${name},East Works,East,Welding\r\n`;
    const utf8 = (s: string) => Buffer.from(s, 'utf8');
    const invalid: Buffer[] = [
      Buffer.concat([
        utf8(header),
        Buffer.from([0x5a, 0x31, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd]),
        utf8(',East,E,Welding\r\n'),
      ]),
      Buffer.concat([utf8(header), Buffer.from([0x80, 0x81]), utf8('\r\n')]),
      Buffer.concat([utf8(header), Buffer.from([0xc0, 0xaf]), utf8('\r\n')]),
      Buffer.concat([utf8(header), Buffer.from([0xed, 0xa0, 0x80]), utf8('\r\n')]),
      Buffer.concat([utf8(header), Buffer.from([0xf4, 0x90, 0x80, 0x80]), utf8('\r\n')]),
      Buffer.concat([utf8(header), Buffer.from([0xe6, 0x9d])]),
      Buffer.from([0xff, 0xfe, 0x41, 0x00]),
      utf8(header + row('Evil\u202Egnp.exe')),
      utf8(header + row('a\u2066b\u2069')),
      utf8(header + row('Null\u0000Byte')),
      utf8(header + row('Bell\u0007')),
      utf8(header + row('x'.repeat(61))),
      utf8(`${header}Z1,"unclosed,East Works,East,Welding\r\n`),
      utf8(header),
      utf8(''),
      utf8('\uFEFF'),
      utf8('just one column\r\nvalue\r\n'),
    ];
    const path = `/api/competitions/${id}/import/contestants`;
    let tried = 0;
    for (const body of invalid) {
      tried += 1;
      const answer = await http(podium.url, path, {
        method: 'POST',
        token: organiser,
        body,
        headers: { 'content-type': 'text/csv' },
      });
      expectRefusal(answer, ['invalid_payload']);
    }
    // Random bytes and random text after a valid header, as a dry run: never a 500, never a change.
    const anyBytes = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }),
      fc.string({ unit: 'binary', maxLength: 400 }).map((s) => utf8(header + s)),
      fc
        .array(
          fc.array(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 12 })), {
            maxLength: 7,
          }),
          { maxLength: 5 },
        )
        .map((rows) => utf8(header + rows.map((r) => r.join(',')).join('\r\n'))),
    );
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.constantFrom('contestants', 'judges'), async (body, kind) => {
        tried += 1;
        const answer = await http(podium.url, `/api/competitions/${id}/import/${kind}?dryRun=1`, {
          method: 'POST',
          token: organiser,
          body,
          headers: { 'content-type': 'text/csv' },
        });
        if (answer.status === 200) expect(answer.body).toMatchObject({ ok: true, dryRun: true });
        else expectRefusal(answer, ['invalid_payload']);
      }),
      { numRuns: 120 },
    );
    console.log(`fuzz: ${tried} cases on CSV imports`);
  });

  it('HTTP: restore from broken archives leaves nothing behind', async () => {
    // A tiny competition to archive: its set-up and one control change.
    const small = uniqueId('fz');
    await podium.service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: opId(), competition: { ...seeded.setup, id: small } },
    });
    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId: small, eventId: 'e1', roundId: 'r1', state: 'open' },
    });
    const archive = JSON.parse(
      (await http(podium.url, `/api/competitions/${small}/archive`, { token: organiser })).text,
    ) as Record<string, unknown>;
    await podium.store.deleteCompetition(small);
    const tried = counter();
    const broken = fc.oneof(
      mutation(HTTP_HUGE).map((m) => JSON.stringify(applyMutation(archive, m)) ?? 'null'),
      fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad])),
    );
    await fc.assert(
      fc.asyncProperty(broken, async (body) => {
        tried.hit();
        const answer = await http(podium.url, `/api/competitions/${small}/restore`, {
          method: 'POST',
          token: organiser,
          body,
        });
        if (answer.status === 200) {
          // Some mutations leave a valid archive (say, another exportedAt): then it restored whole.
          expect(answer.body).toMatchObject({ ok: true, competitionId: small });
          await podium.store.deleteCompetition(small);
          return;
        }
        expectRefusal(answer, ['invalid_payload']);
        expect(
          (await podium.store.getSetup(small)).value,
          'a refused restore leaves no competition',
        ).toBeNull();
        expect((await podium.store.readLog(small, undefined, 1)).length).toBe(0);
      }),
      { numRuns: 60 },
    );
    console.log(`fuzz: ${tried.count} cases on restore`);
  });
});
