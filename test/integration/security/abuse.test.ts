/**
 * Abuse: guessing access codes across nodes, secrets at rest, oversized socket messages, foreign
 * origins, sockets that come back after a revocation, and spreadsheet formulas in exports.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CODE_ALPHABET } from '../../../server/auth/secrets.ts';
import { LOG_FILE_NAME } from '../../../server/store/embedded/embeddedStore.ts';
import {
  spawnPodium,
  startTestPodium,
  TEST_ADMIN_PASSWORD,
  type PodiumProcess,
  type TestPodium,
} from '../../support/podium-server.ts';
import {
  ALLOWED_ORIGIN,
  ask,
  closeSockets,
  connectSocket,
  healthy,
  http,
  opId,
  ORGANISER,
  refusedSocket,
  seedCompetition,
  sleep,
  snapshotState,
  type SeededCompetition,
} from '../../support/fixtures.ts';

const FOREIGN_ORIGIN = 'https://evil.example';

afterEach(() => closeSockets());

/** A random address in 10/8, so this test's sign-in counters are its own. */
function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** Four random code characters: a code prefix nobody else guesses at. */
function randomPrefix(): string {
  return Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

describe('access-code guessing across two Podium processes sharing Redis', () => {
  let a: PodiumProcess;
  let b: PodiumProcess;

  beforeAll(async () => {
    const redisUrl = inject('redisUrl');
    [a, b] = await Promise.all([spawnPodium({ redisUrl }), spawnPodium({ redisUrl })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  const guess = (node: PodiumProcess, code: string, ip: string) =>
    http(node.url, '/api/auth/judge', {
      method: 'POST',
      json: { code },
      headers: { 'x-forwarded-for': ip },
    });

  it('counts guesses from one address on A against the limit on B (10 a minute)', async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const node = i % 2 === 0 ? a : b;
      statuses.push((await guess(node, `${randomPrefix()}-${randomPrefix()}`, ip)).status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
    const limited = await guess(a, `${randomPrefix()}-${randomPrefix()}`, ip);
    expect(limited.body).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts guesses at one code prefix from many addresses on both nodes: past 100, one try per address', async () => {
    const prefix = randomPrefix();
    const ips = Array.from({ length: 100 }, () => randomIp());
    const statuses: number[] = [];
    for (const [i, ip] of ips.entries()) {
      statuses.push((await guess(i % 2 === 0 ? b : a, `${prefix}-${randomPrefix()}`, ip)).status);
    }
    expect(statuses).toEqual(Array<number>(100).fill(401));
    // The prefix is under attack: an address that already failed at it is refused, on either node.
    const again = await guess(b, `${prefix}-${randomPrefix()}`, ips[0] ?? '');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

/** Every value of every Podium key in Redis, as one text. */
async function dumpRedis(redis: Redis): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'podium*', 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      parts.push(key);
      if (type === 'string') {
        const value = (await redis.get(key)) ?? '';
        // The Socket.IO adapter keeps sessions for recovery as base64 msgpack: look inside too.
        parts.push(value, Buffer.from(value, 'base64').toString('latin1'));
      } else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

describe.each([
  ['embedded', undefined],
  ['redis', inject('redisUrl')],
] as const)('secrets at rest (%s store)', (storeName, redisUrl) => {
  let podium: TestPodium;
  let seeded: SeededCompetition;

  beforeAll(async () => {
    podium = await startTestPodium(redisUrl ? { redisUrl } : {});
    seeded = await seedCompetition(podium);
  });
  afterAll(() => podium.stop());

  it('keeps access codes, session tokens, API keys and passwords only as hashes', async () => {
    const { competitionId, credentials } = seeded;
    const organiser = credentials.organiser;
    const issued = await http(podium.url, `/api/competitions/${competitionId}/judges/js/code`, {
      method: 'POST',
      token: organiser,
    });
    const code = String(issued.body.code);
    const signedIn = await http(podium.url, '/api/auth/judge', { method: 'POST', json: { code } });
    const token = String(signedIn.body.token);
    const key = String(
      (
        await http(podium.url, `/api/competitions/${competitionId}/api-keys`, {
          method: 'POST',
          token: organiser,
          json: { label: 'Timing' },
        })
      ).body.key,
    );
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(token).toHaveLength(43);
    // A judge socket that drops keeps its state for recovery: that must not hold the token either.
    const socket = await connectSocket(podium.url, '/judge', { auth: { token } });
    socket.io.engine.close();
    await sleep(200);

    const secrets = [
      code,
      code.replace('-', ''),
      token,
      key,
      key.split('_').at(-1) ?? key,
      organiser,
      TEST_ADMIN_PASSWORD,
      ...Object.values(credentials).filter((c) => c !== credentials.expired),
    ];
    let raw: string;
    if (redisUrl === undefined) {
      raw = readFileSync(join(podium.dataDir, LOG_FILE_NAME)).toString('latin1');
    } else {
      const redis = new Redis(redisUrl);
      raw = await dumpRedis(redis);
      await redis.quit();
    }
    expect(raw.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(raw.includes(secret), `${storeName} holds a secret in clear (${secret.slice(0, 6)}…)`).toBe(
        false,
      );
    }
  });
});

describe('sockets under abuse (embedded store)', () => {
  let podium: TestPodium;
  let seeded: SeededCompetition;

  beforeAll(async () => {
    podium = await startTestPodium({ allowedOrigins: [ALLOWED_ORIGIN] });
    seeded = await seedCompetition(podium);
  });
  afterAll(() => podium.stop());

  it('disconnects a socket that sends a message over 64 KiB, before handling it; others carry on', async () => {
    const { competitionId, credentials } = seeded;
    const before = await snapshotState(podium.store, competitionId);
    const bystander = await connectSocket(podium.url, '/public');
    for (const [namespace, token] of [
      ['/public', undefined],
      ['/judge', credentials.judge],
    ] as const) {
      const socket = await connectSocket(podium.url, namespace, token ? { auth: { token } } : {});
      const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const huge = {
        opId: opId(),
        competitionId,
        eventId: 'e1',
        roundId: 'r1',
        contestantId: 'c11',
        marks: { q: '5' },
        padding: 'x'.repeat(100 * 1024),
      };
      socket.emit(namespace === '/judge' ? 'cmd:marks.submit' : 'competition:watch', huge, () => {
        throw new Error('an oversized message was answered');
      });
      expect(await closed).toMatch(/transport (close|error)/);
    }
    expect(await healthy(podium.url)).toBe(true);
    expect(await ask(bystander, 'competition:watch', [{ competitionId }])).toMatchObject({ ok: true });
    expect(await snapshotState(podium.store, competitionId)).toEqual(before);
  });

  it('refuses a foreign Origin on the HTTP handshake (CORS) and on a WebSocket-only connection', async () => {
    const polling = (origin: string) =>
      fetch(`${podium.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const allowed = await polling(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    await allowed.arrayBuffer();
    const foreign = await polling(FOREIGN_ORIGIN);
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    await foreign.arrayBuffer();

    // The HTTP API grants no cross-origin reads: no CORS header for a foreign page.
    const preflight = await fetch(`${podium.url}/api/competitions`, {
      method: 'OPTIONS',
      headers: { origin: FOREIGN_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await preflight.arrayBuffer();
    const read = await fetch(`${podium.url}/api/competitions`, { headers: { origin: FOREIGN_ORIGIN } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    await read.arrayBuffer();

    // Cross-site WebSocket hijacking: a foreign page cannot open any namespace, even with a valid token.
    for (const [namespace, token] of [
      ['/public', undefined],
      ['/judge', seeded.credentials.judge],
      ['/admin', seeded.credentials.organiser],
    ] as const) {
      const message = await refusedSocket(podium.url, namespace, {
        transports: ['websocket'],
        extraHeaders: { origin: FOREIGN_ORIGIN },
        ...(token ? { auth: { token } } : {}),
      });
      expect(message, namespace).toMatch(/websocket error|xhr poll error|origin/i);
    }
    const ok = await connectSocket(podium.url, '/public', {
      transports: ['websocket'],
      extraHeaders: { origin: ALLOWED_ORIGIN },
    });
    expect(ok.connected).toBe(true);
  });

  it('authenticates a socket again when it resumes after a drop: a code revoked meanwhile stays out', async () => {
    const { competitionId } = seeded;
    const token = await podium.judgeToken(competitionId, 'js');
    const socket = connect(`${podium.url}/judge`, {
      transports: ['websocket'],
      auth: { token },
      reconnectionDelay: 300,
      reconnectionDelayMax: 300,
      forceNew: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      // Receive a broadcast, so the client has an offset to resume from.
      const heard = new Promise((resolve) => socket.once('stage:update', resolve));
      await podium.service.execute(ORGANISER, {
        name: 'stage.set',
        payload: { opId: opId(), competitionId, eventId: 'e1', roundId: 'r1', contestantId: 'c12' },
      });
      await heard;

      // Control: a plain drop resumes the same session (connection state recovery).
      const resumed = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.io.engine.close();
      await resumed;
      expect(socket.recovered).toBe(true);
      await podium.service.execute(ORGANISER, {
        name: 'stage.set',
        payload: { opId: opId(), competitionId, eventId: 'e1', roundId: 'r1', contestantId: 'c11' },
      });
      await sleep(300);

      // Now the code is revoked while the tablet is offline.
      const refused = new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      socket.io.engine.close();
      await podium.auth.revokeJudgeCode(competitionId, 'js');
      expect((await refused).message).toBe('unauthorized');
      expect(socket.connected).toBe(false);

      const before = await snapshotState(podium.store, competitionId);
      socket.emit('cmd:marks.submit', {
        opId: opId(),
        competitionId,
        eventId: 'e1',
        roundId: 'r1',
        contestantId: 'c12',
        marks: { q: '9' },
      });
      await sleep(1_000);
      expect(socket.connected).toBe(false);
      expect(await snapshotState(podium.store, competitionId)).toEqual(before);
    } finally {
      socket.close();
    }
  });

  it('exports CSV in which no cell can start a formula (= + - @)', async () => {
    const { competitionId, setup, credentials } = seeded;
    const hostile = [
      '=HYPERLINK("http://evil.example","x")',
      '+1+1',
      '-2+3',
      '@SUM(A1:A9)',
      "=cmd|'/c calc'!A1",
    ];
    const contestants = setup.contestants.map((c, i) =>
      i < hostile.length
        ? { ...c, name: hostile[i] ?? c.name, organisation: hostile.at(-1 - i) ?? c.organisation }
        : c,
    );
    await podium.service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: opId(), competition: { ...setup, contestants, teams: [{ id: 't1', name: '=1+1' }] } },
    });
    for (const contestantId of ['c1', 'c2', 'c3', 'c4', 'c5']) {
      await podium.service.execute(
        { kind: 'judge', judgeId: 'j1', competitionId, role: 'judge' },
        {
          name: 'marks.submit',
          payload: {
            opId: opId(),
            competitionId,
            eventId: 'e1',
            roundId: 'r1',
            contestantId,
            marks: { q: '8' },
          },
        },
      );
    }
    const files = [
      `/api/competitions/${competitionId}/results.csv?board=${encodeURIComponent('e1|r1|individual')}`,
      `/api/competitions/${competitionId}/results.csv?board=${encodeURIComponent('e1|r1|organisation')}`,
      `/api/competitions/${competitionId}/audit.csv`,
    ];
    let cells = 0;
    for (const path of files) {
      const answer = await http(podium.url, path, { token: credentials.organiser });
      expect(answer.status, path).toBe(200);
      const rows = parse(answer.text, { bom: true, relax_column_count: true }) as string[][];
      for (const cell of rows.flat()) {
        cells += 1;
        // A plain (negative) number is data, not a formula.
        if (/^-?\d+(\.\d+)?$/.test(cell)) continue;
        expect(cell, `${path}: ${cell}`).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    const individual = await http(podium.url, files[0] ?? '', { token: credentials.organiser });
    expect(individual.text).toContain(`'=HYPERLINK(""http://evil.example"",""x"")`);
    expect(individual.text).toContain("'@SUM(A1:A9)");
    expect(cells).toBeGreaterThan(50);
  });
});
