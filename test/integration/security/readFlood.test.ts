/**
 * Floods from one socket (issue #12): a judge tablet stuck in a retry loop or an anonymous
 * spectator sending the same event thousands of times must be told `rate_limited`, then
 * disconnected, while every other judge keeps marking; the work one socket may have running is
 * bounded; honest bursts (a tablet's resync, a big screen re-reading its boards) pass untouched;
 * and a long-polling session cannot be used from a foreign origin after its handshake.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { connectPublic } from '../../../client/src/lib/socket.ts';
import type { LimitNotice } from '../../../shared/events.ts';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  ALLOWED_ORIGIN,
  ask,
  beyondRateLimit,
  closeSockets,
  connectSocket,
  healthy,
  opId,
  seedCompetition,
  type SeededCompetition,
} from '../../support/fixtures.ts';

const FOREIGN_ORIGIN = 'https://evil.example';
const BOARD = 'e1|r1|individual';
/** Frames one flooding socket sends at once (the issue saw 120,000; far fewer show the same). */
const FLOOD_FRAMES = 2_000;

afterEach(() => closeSockets());

/** What a socket heard while flooding. */
interface Heard {
  /** Acknowledgements by result: 'ok' or the error code. */
  acks: Record<string, number>;
  notices: LimitNotice[];
  /** Resolves with the disconnect reason. */
  disconnected: Promise<string>;
}

/** Listen to `socket` for limit notices, its disconnect, and the acks of what it sends. */
function listen(socket: Socket): Heard & { ackFn: (ack: { ok: boolean; code?: string }) => void } {
  const heard: Heard = {
    acks: {},
    notices: [],
    disconnected: new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason))),
  };
  socket.on('limit:exceeded', (notice: LimitNotice) => heard.notices.push(notice));
  const ackFn = (ack: { ok: boolean; code?: string }): void => {
    const key = ack.ok ? 'ok' : (ack.code ?? '?');
    heard.acks[key] = (heard.acks[key] ?? 0) + 1;
  };
  return { ...heard, ackFn };
}

/** Send `event` FLOOD_FRAMES times as fast as the socket takes them (with or without an ack). */
function flood(socket: Socket, event: string, args: unknown[], withAck: boolean): Heard {
  const heard = listen(socket);
  for (let i = 0; i < FLOOD_FRAMES; i++) {
    if (withAck) socket.emit(event, ...args, heard.ackFn);
    else socket.emit(event, ...args);
  }
  return heard;
}

/** A fresh judge-j1 mark on contestant `c`: the honest judge's write. */
function mark(competitionId: string, contestantId: string, value: string) {
  return {
    opId: opId(),
    competitionId,
    eventId: 'e1',
    roundId: 'r1',
    contestantId,
    marks: { q: value },
  };
}

describe('floods from one socket (embedded store, default limits)', () => {
  let podium: TestPodium;
  let seeded: SeededCompetition;
  let honest: Socket;
  let marks = 0;

  beforeAll(async () => {
    podium = await startTestPodium({ allowedOrigins: [ALLOWED_ORIGIN] });
    seeded = await seedCompetition(podium);
  });
  afterAll(() => podium.stop());

  /** The honest judge j1 marks a contestant and gets `ok`. */
  async function honestMarkSucceeds(): Promise<void> {
    marks += 1;
    const contestant = `c${2 + (marks % 15)}`;
    // j1 marks in every test of this file: stay within its own 20 writes a second (not under test).
    const ack = await beyondRateLimit(
      async () =>
        (await ask(honest, 'cmd:marks.submit', [mark(seeded.competitionId, contestant, '7')], 20_000)) as {
          ok: boolean;
          code?: string;
        },
    );
    expect(ack).toMatchObject({ ok: true });
  }

  const judgeFloods = [
    ['judge:sheets', [{ eventId: 'e1', roundId: 'r1' }], true],
    ['judge:sheets', [{ eventId: 'e1', roundId: 'r1' }], false],
    ['judge:whoami', [], true],
    ['presence:heartbeat', [{ eventId: 'e1' }], false],
    ['cmd:marks.submit', [{ competitionId: 'x' }], true],
    ['no:such:event', [{}], true],
  ] as const;

  it.each(judgeFloods)(
    'regression: a judge socket flooding %s %j (ack: %s) is told rate_limited and disconnected; another judge still marks',
    async (event, args, withAck) => {
      honest = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
      const flooder = await connectSocket(podium.url, '/judge', {
        auth: { token: seeded.credentials.lateJudge },
      });
      const heard = flood(flooder, event, [...args], withAck);
      const marking = honestMarkSucceeds();
      expect(await heard.disconnected).toBe('io server disconnect');
      await marking;
      if (withAck) expect(heard.acks.rate_limited ?? 0).toBeGreaterThan(0);
      expect(heard.notices.at(-1)).toMatchObject({ code: 'rate_limited', disconnecting: true });
      expect(heard.notices.at(-1)?.retryAfterMs).toBeGreaterThan(0);
      // Everything that was not answered rate_limited at once was either run or never reached a
      // handler: far fewer than the frames sent.
      const answered = Object.values(heard.acks).reduce((a, b) => a + b, 0);
      expect(answered).toBeLessThan(FLOOD_FRAMES / 4);
      await honestMarkSucceeds();
      expect(await healthy(podium.url)).toBe(true);
    },
  );

  const publicFloods = [
    ['board:subscribe', true],
    ['board:subscribe', false],
    ['competition:watch', true],
    ['competition:list', true],
    ['board:unsubscribe', false],
    ['no:such:event', false],
  ] as const;

  it.each(publicFloods)(
    'regression: an anonymous /public socket flooding %s (ack: %s) is told rate_limited and disconnected; a judge still marks',
    async (event, withAck) => {
      honest = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
      const spectator = await connectSocket(podium.url, '/public');
      const args =
        event === 'competition:list'
          ? []
          : event === 'competition:watch'
            ? [{ competitionId: seeded.competitionId }]
            : [{ competitionId: seeded.competitionId, board: BOARD }];
      const heard = flood(spectator, event, args, withAck);
      const marking = honestMarkSucceeds();
      expect(await heard.disconnected).toBe('io server disconnect');
      await marking;
      if (withAck) expect(heard.acks.rate_limited ?? 0).toBeGreaterThan(0);
      expect(heard.notices.at(-1)).toMatchObject({ code: 'rate_limited', disconnecting: true });
      await honestMarkSucceeds();
    },
  );

  it.each([
    ['board:subscribe', [{ board: BOARD }]],
    ['competition:watch', [{}]],
    ['cmd:round.state', [{}]],
  ] as const)(
    'regression: an organiser socket flooding %s on /admin is told rate_limited and disconnected',
    async (event, args) => {
      honest = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
      const admin = await connectSocket(podium.url, '/admin', {
        auth: { token: seeded.credentials.organiser },
      });
      const payload = args.map((a) => ({ competitionId: seeded.competitionId, ...a }));
      const heard = flood(admin, event, payload, true);
      expect(await heard.disconnected).toBe('io server disconnect');
      expect(heard.acks.rate_limited ?? 0).toBeGreaterThan(0);
      expect(heard.notices.at(-1)).toMatchObject({ code: 'rate_limited', disconnecting: true });
      await honestMarkSucceeds();
    },
  );

  it('regression: the Podium client library comes back by itself once the wait the server asked for has passed', async () => {
    const socket = connectPublic({ origin: podium.url });
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const heard = flood(
        socket,
        'board:subscribe',
        [{ competitionId: seeded.competitionId, board: BOARD }],
        true,
      );
      expect(await heard.disconnected).toBe('io server disconnect');
      const wait = heard.notices.at(-1)?.retryAfterMs ?? 0;
      expect(wait).toBeGreaterThanOrEqual(1_000);
      await vi.waitFor(() => expect(socket.connected).toBe(true), { timeout: wait + 15_000, interval: 100 });
      const ack = await ask(socket, 'board:subscribe', [
        { competitionId: seeded.competitionId, board: BOARD },
      ]);
      expect(ack).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });

  it('regression: limits are per socket — a tablet resync and a big screen re-reading 32 boards twice pass in full beside a flooder', async () => {
    const tablet = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.chief } });
    const screen = await connectSocket(podium.url, '/public');
    const tabletHeard = listen(tablet);
    const screenHeard = listen(screen);
    const flooder = await connectSocket(podium.url, '/public');
    const flooded = flood(
      flooder,
      'board:subscribe',
      [{ competitionId: seeded.competitionId, board: BOARD }],
      true,
    );

    // What the judge app sends on every (re)connect, twice in a row (a reload during a resync).
    const resync = () => [
      ask(tablet, 'judge:whoami', [], 20_000),
      ask(tablet, 'judge:sheets', [{ eventId: 'e1', roundId: 'r1' }], 20_000),
      ask(tablet, 'judge:sheets', [{ eventId: 'e1' }], 20_000),
      ask(tablet, 'judge:sheets', [{ eventId: 'e1', roundId: 'r2' }], 20_000),
    ];
    const tabletAcks = Promise.all([...resync(), ...resync()]);
    tablet.emit('presence:heartbeat', { eventId: 'e1' });
    // A screen following 32 boards re-reads them all after a reconnect, and again after a reveal step.
    const boards = ['individual', 'team', 'organisation'].flatMap((scope) =>
      ['r1', 'r2'].map((round) => `e1|${round}|${scope}`),
    );
    const screenAcks = Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        ask(
          screen,
          'board:subscribe',
          [{ competitionId: seeded.competitionId, board: boards[i % boards.length] }],
          20_000,
        ),
      ),
    );
    const watchAck = ask(screen, 'competition:watch', [{ competitionId: seeded.competitionId }], 20_000);

    expect(await flooded.disconnected).toBe('io server disconnect');
    for (const ack of await tabletAcks) expect(ack).toMatchObject({ ok: true });
    for (const ack of await screenAcks) expect(ack.ok || ack.code).not.toBe('rate_limited');
    expect(await watchAck).toMatchObject({ ok: true });
    expect(tabletHeard.notices).toEqual([]);
    expect(screenHeard.notices).toEqual([]);
    expect(tablet.connected && screen.connected).toBe(true);
  });
});

describe('limits on the Redis store (own Redis, frozen on purpose)', () => {
  let redis: RedisServerHandle;
  let podium: TestPodium;
  let seeded: SeededCompetition;

  beforeAll(async () => {
    redis = await startRedisServer();
    podium = await startTestPodium({ redisUrl: redis.url });
    seeded = await seedCompetition(podium);
  }, 60_000);
  afterAll(async () => {
    redis.process.kill('SIGCONT');
    await podium.stop();
    await redis.stop();
    redis.cleanup();
  });

  it('regression: with the Redis adapter too, a flooder hears limit:exceeded before it is disconnected', async () => {
    const spectator = await connectSocket(podium.url, '/public');
    const heard = flood(
      spectator,
      'board:subscribe',
      [{ competitionId: seeded.competitionId, board: BOARD }],
      true,
    );
    expect(await heard.disconnected).toBe('io server disconnect');
    // A warning when the refusals began (again, if the machine paused long enough to forgive
    // them), then the last word before the disconnect.
    const flags = heard.notices.map((n) => n.disconnecting);
    expect(flags.at(0)).toBe(false);
    expect(flags.at(-1)).toBe(true);
    expect(flags.filter(Boolean)).toHaveLength(1);
    expect(heard.acks.rate_limited ?? 0).toBeGreaterThan(0);
  });

  it('regression: a judge socket has at most 4 reads running and 16 waiting; the rest are refused at once', async () => {
    const judge = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
    const heard = listen(judge);
    // Every judge:sheets reads the round states from the store: with Redis stopped, none can finish.
    redis.process.kill('SIGSTOP');
    try {
      for (let i = 0; i < 30; i++) judge.emit('judge:sheets', { eventId: 'e1', roundId: 'r1' }, heard.ackFn);
      await vi.waitFor(() => expect(heard.acks.rate_limited).toBe(10), { timeout: 20_000, interval: 50 });
      // One more while 20 are still running or queued: refused at once too.
      const extra = await ask(judge, 'judge:sheets', [{ eventId: 'e1', roundId: 'r1' }], 20_000);
      expect(extra).toMatchObject({ ok: false, code: 'rate_limited' });
      expect(heard.acks.ok ?? 0).toBe(0);
    } finally {
      redis.process.kill('SIGCONT');
    }
    // Once the store answers, the 20 admitted reads all finish, and none of them was refused.
    await vi.waitFor(() => expect(Object.values(heard.acks).reduce((a, b) => a + b, 0)).toBe(30), {
      timeout: 30_000,
      interval: 100,
    });
    expect(heard.acks.rate_limited).toBe(10);
    expect(judge.connected).toBe(true);
    expect(heard.notices[0]).toMatchObject({ code: 'rate_limited', disconnecting: false });
  });
});

describe('origin on every Engine.IO request (embedded store)', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({ allowedOrigins: [ALLOWED_ORIGIN] });
  });
  afterAll(() => podium.stop());

  /** Open a long-polling session from the allowed origin; its session id. */
  async function pollingSession(): Promise<string> {
    const res = await fetch(`${podium.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const open = JSON.parse(text.slice(text.indexOf('{'))) as { sid: string };
    return open.sid;
  }

  const poll = (sid: string, origin: string, init: RequestInit = {}) =>
    fetch(`${podium.url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, {
      ...init,
      headers: { origin, 'content-type': 'text/plain;charset=UTF-8' },
    });

  it('regression: refuses a polling GET or POST of an open session from a foreign origin (403)', async () => {
    const sid = await pollingSession();
    // The attacker's page learnt the sid: it tries to join /public and to read through the session.
    const post = await poll(sid, FOREIGN_ORIGIN, { method: 'POST', body: '40/public,' });
    expect(post.status).toBe(403);
    const get = await poll(sid, FOREIGN_ORIGIN);
    expect(get.status).toBe(403);
    // The same requests from the allowed origin are served: the session is intact.
    const ownPost = await poll(sid, ALLOWED_ORIGIN, { method: 'POST', body: '40/public,' });
    expect(ownPost.status).toBe(200);
    const ownGet = await poll(sid, ALLOWED_ORIGIN);
    expect(ownGet.status).toBe(200);
  });

  it('regression: refuses to upgrade an open polling session to WebSocket from a foreign origin', async () => {
    const sid = await pollingSession();
    const url = `${podium.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${sid}`;
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url, { origin: FOREIGN_ORIGIN });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
      ws.once('error', () => resolve('refused'));
    });
    expect(outcome).not.toBe('open');
    // A client from the allowed origin still connects normally.
    const ok = await connectSocket(podium.url, '/public', {
      transports: ['polling'],
      extraHeaders: { origin: ALLOWED_ORIGIN },
    });
    expect(ok.connected).toBe(true);
    ok.close();
    // And one from a foreign origin is still refused at the handshake.
    const foreign = connect(`${podium.url}/public`, {
      transports: ['polling'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: FOREIGN_ORIGIN },
    });
    const refused = await new Promise<boolean>((resolve) => {
      foreign.once('connect', () => resolve(false));
      foreign.once('connect_error', () => resolve(true));
    });
    foreign.close();
    expect(refused).toBe(true);
  });
});
