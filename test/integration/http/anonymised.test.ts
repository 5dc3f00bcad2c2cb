/**
 * Issue #14 item 2, drawn numbers: an anonymised event shows contestants only by drawn number on
 * every read judges and the public have — and on the organiser's results, exports and print pages —
 * until the organiser asks to decode and the chief judge confirms, which is refused before every
 * result is signed. Real server, real sockets, real HTTP, Redis.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { competitionSchema, type Competition } from '../../../shared/model.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  ask,
  closeSockets,
  connectSocket,
  http,
  opId,
  ORGANISER,
  uniqueId,
  type HttpCall,
} from '../../support/fixtures.ts';
import { openFeed, type FeedReader } from './feedClient.ts';

/** Everything that identifies a contestant: none of it may appear anywhere before the decode. */
const SECRETS = ['张三', '李四', '一厂', '二厂', '江苏', '浙江', '一厂代表队', 'A001', 'A002'];
const EVENT = 'weld';
const BOARDS = ['weld|r1|individual', 'weld|r1|team', 'weld|r1|organisation'];

function anonymisedContest(id: string): Competition {
  return competitionSchema.parse({
    id,
    name: '加密评分技能大赛',
    events: [
      {
        id: EVENT,
        name: '焊工',
        anonymised: true,
        criteria: [{ id: 'quality', label: '质量', max: 10, step: 0.5 }],
        scoring: {
          aggregation: { kind: 'mean' },
          decimals: 2,
          teamStanding: { method: 'sum', bestN: 2 },
          organisationStanding: { method: 'sum', bestN: 2 },
          medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
        },
        rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      {
        id: 'p1',
        eventId: EVENT,
        bib: 'A001',
        name: '张三',
        organisation: '一厂',
        region: '江苏',
        teamId: 't1',
      },
      { id: 'p2', eventId: EVENT, bib: 'A002', name: '李四', organisation: '二厂', region: '浙江' },
    ],
    teams: [{ id: 't1', name: '一厂代表队' }],
    judges: [
      { id: 'j1', name: '赵裁判', role: 'judge', eventIds: [EVENT] },
      { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: [EVENT] },
    ],
  });
}

interface Hook {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

async function webhookReceiver(): Promise<Hook> {
  const hook: Hook = { url: '', bodies: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      hook.bodies.push(raw);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  hook.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook`;
  hook.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return hook;
}

/** Every socket event a connection receives, as text. */
function recordPushes(socket: Socket): string[] {
  const seen: string[] = [];
  socket.onAny((event: string, ...args: unknown[]) => seen.push(`${event} ${JSON.stringify(args)}`));
  return seen;
}

describe('anonymised events: drawn numbers until a two-person decode (Redis store)', () => {
  let podium: TestPodium;
  let id: string;
  let organiser: string;
  let judge: string;
  let chief: string;
  let hook: Hook;
  let feed: FeedReader;
  let staffFeed: FeedReader;
  /** Socket events pushed to a spectator and to a judge's tablet since the start. */
  let pushes: string[][] = [];
  const target = () => ({ competitionId: id, eventId: EVENT, roundId: 'r1' });
  const as = (judgeId: string, role: 'judge' | 'chief'): Actor => ({
    kind: 'judge',
    judgeId,
    competitionId: id,
    role,
  });

  async function command(name: string, payload: Record<string, unknown>, call: HttpCall = {}) {
    return http(podium.url, `/api/competitions/${id}/commands/${name}`, {
      token: organiser,
      ...call,
      method: 'POST',
      json: { opId: opId(), ...payload },
    });
  }

  /** GET as text (status and body), with the organiser's, a judge's or no credentials. */
  async function read(path: string, token?: string): Promise<string> {
    const res = await fetch(`${podium.url}/api${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return `${path} ${res.status} ${await res.text()}`;
  }

  /** Every read path of judges, the public and the organiser's result documents, as one text. */
  async function everything(): Promise<{ text: string; parts: Record<string, string> }> {
    const parts: Record<string, string> = {};
    const add = async (name: string, value: Promise<string>) => {
      parts[name] = await value;
    };
    await add('list', read('/competitions'));
    await add('public competition', read(`/competitions/${id}`));
    await add('judge competition', read(`/competitions/${id}`, judge));
    await add('results list', read(`/competitions/${id}/results`));
    for (const board of BOARDS) {
      const b = encodeURIComponent(board);
      await add(`results ${board}`, read(`/competitions/${id}/results/${b}`));
      await add(`results ${board} (organiser)`, read(`/competitions/${id}/results/${b}`, organiser));
      await add(`results.csv ${board}`, read(`/competitions/${id}/results.csv?board=${b}`, organiser));
      await add(`notice ${board}`, read(`/competitions/${id}/print/notice?board=${b}`, organiser));
    }
    const individual = encodeURIComponent(BOARDS[0] ?? '');
    await add('insight', read(`/competitions/${id}/insight?board=${individual}&contestant=p1`));
    await add(
      'insight (judge)',
      read(`/competitions/${id}/insight?board=${individual}&contestant=p1`, judge),
    );
    await add('marks.csv', read(`/competitions/${id}/marks.csv?event=${EVENT}&round=r1`, organiser));
    await add('score sheets', read(`/competitions/${id}/print/sheets?event=${EVENT}&round=r1`, organiser));
    const certificates = await read(`/competitions/${id}/print/certificates?board=${individual}`, organiser);
    parts.certificates = certificates;
    const verifyUrl = /"verifyUrl":"([^"]+)"/.exec(certificates)?.[1];
    expect(verifyUrl, 'a certificate to check').toBeDefined();
    await add('verify', read(`/verify${new URL(verifyUrl ?? '').search}`));
    await add('audit.json (judge)', read(`/competitions/${id}/audit.json`, judge));
    await add('audit.csv (public)', read(`/competitions/${id}/audit.csv`));
    await add('setup (judge)', read(`/competitions/${id}/setup`, judge));

    const spectator = await connectSocket(podium.url, '/public');
    const watched = await ask(spectator, 'competition:watch', [{ competitionId: id }]);
    parts['socket watch'] = JSON.stringify(watched);
    for (const board of BOARDS) {
      parts[`socket ${board}`] = JSON.stringify(
        await ask(spectator, 'board:subscribe', [{ competitionId: id, board }]),
      );
    }
    const tablet = await connectSocket(podium.url, '/judge', { auth: { token: judge } });
    parts['judge sheets'] = JSON.stringify(
      await ask(tablet, 'judge:sheets', [{ eventId: EVENT, roundId: 'r1' }]),
    );
    parts['pushes'] = pushes.flat().join('\n');
    parts['feed'] = JSON.stringify(feed.lines);
    parts['feed (organiser)'] = JSON.stringify(staffFeed.lines);
    parts['webhooks'] = hook.bodies.join('\n');
    return { text: Object.values(parts).join('\n'), parts };
  }

  beforeAll(async () => {
    podium = await startTestPodium({ redisUrl: inject('redisUrl') });
    id = uniqueId('anon');
    organiser = await podium.organiserToken();
    const put = await http(podium.url, `/api/competitions/${id}/setup`, {
      token: organiser,
      method: 'PUT',
      json: { opId: opId(), competition: anonymisedContest(id) },
    });
    expect(put.status).toBe(200);
    judge = await podium.judgeToken(id, 'j1');
    chief = await podium.judgeToken(id, 'c1');
    hook = await webhookReceiver();
    const registered = await http(podium.url, `/api/competitions/${id}/webhooks`, {
      token: organiser,
      method: 'POST',
      json: { url: hook.url },
    });
    expect(registered.status).toBe(200);
    feed = await openFeed(`${podium.url}/api/competitions/${id}/event-feed`);
    staffFeed = await openFeed(`${podium.url}/api/competitions/${id}/event-feed`, {
      authorization: `Bearer ${organiser}`,
    });
    const spectator = await connectSocket(podium.url, '/public');
    const tablet = await connectSocket(podium.url, '/judge', { auth: { token: judge } });
    pushes = [recordPushes(spectator), recordPushes(tablet)];
    await ask(spectator, 'competition:watch', [{ competitionId: id }]);
    for (const board of BOARDS) await ask(spectator, 'board:subscribe', [{ competitionId: id, board }]);
    await ask(tablet, 'judge:sheets', [{ eventId: EVENT, roundId: 'r1' }]);
  });

  afterAll(async () => {
    feed.close();
    staffFeed.close();
    closeSockets();
    await hook.close();
    await podium.stop();
  });

  it('draws, judges and signs by number: nothing read before the decode names anyone; then everything does', async () => {
    // The organiser draws on the server (no seed may be sent); the numbers are public, the names not.
    const forged = await command('draw.make', { eventId: EVENT, seed: 'a'.repeat(64) });
    expect(forged.body).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect((await command('draw.make', { eventId: EVENT })).status).toBe(200);
    const control = (await http(podium.url, `/api/competitions/${id}`)).body.control as {
      draws: Record<string, { numbers: Record<string, string>; decoded: boolean }>;
    };
    const numbers = control.draws[EVENT]?.numbers ?? {};
    expect(Object.keys(numbers).sort()).toEqual(['p1', 'p2']);
    expect(new Set(Object.values(numbers))).toEqual(new Set(['01', '02']));

    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), ...target(), state: 'open' },
    });
    await podium.service.execute(ORGANISER, {
      name: 'stage.set',
      payload: { opId: opId(), ...target(), contestantId: 'p1' },
    });
    for (const [contestantId, quality] of [
      ['p1', '9'],
      ['p2', '7.5'],
    ] as const) {
      await podium.service.execute(as('j1', 'judge'), {
        name: 'marks.submit',
        payload: { opId: opId(), ...target(), contestantId, marks: { quality } },
      });
    }
    await podium.service.execute(as('c1', 'chief'), {
      name: 'sheet.sign',
      payload: { opId: opId(), ...target(), contestantId: 'p1', signed: true },
    });

    // Not while the round is open, not while a result is unsigned: 409 not_signed, nothing changes.
    const early = await command('draw.decode', { eventId: EVENT });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'not_signed', message: expect.stringContaining('still open') });
    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), ...target(), state: 'closed' },
    });
    const unsigned = await command('draw.decode', { eventId: EVENT });
    expect(unsigned.status).toBe(409);
    expect(unsigned.body).toMatchObject({
      code: 'not_signed',
      message: expect.stringContaining('1 result(s) of weld are not signed'),
    });
    // The set-up cannot switch the anonymity off around the decode either.
    const off = anonymisedContest(id);
    off.events[0] = { ...off.events[0]!, anonymised: false };
    const bypass = await http(podium.url, `/api/competitions/${id}/setup`, {
      token: organiser,
      method: 'PUT',
      json: { opId: opId(), competition: off },
    });
    expect(bypass.status).toBe(403);
    await podium.service.execute(as('c1', 'chief'), {
      name: 'sheet.sign',
      payload: { opId: opId(), ...target(), contestantId: 'p2', signed: true },
    });

    // The organiser asks; until the chief judge confirms, the names stay hidden.
    expect((await command('draw.decode', { eventId: EVENT })).status).toBe(200);
    await expect.poll(() => hook.bodies.join('\n'), { timeout: 10_000 }).toContain('draw');
    await expect.poll(() => feed.lines.length, { timeout: 5_000 }).toBeGreaterThan(5);
    const before = await everything();
    for (const secret of SECRETS) {
      const leaks = Object.entries(before.parts).filter(([, text]) => text.includes(secret));
      expect(
        leaks.map(([name]) => name),
        `"${secret}" before the decode`,
      ).toEqual([]);
    }
    // The pushes, feeds and hooks above did carry this event's results (the check is not vacuous).
    expect(before.parts.pushes).toContain('board:delta');
    expect(before.parts.feed).toContain('weld|r1|individual');
    expect(before.parts.webhooks).toContain('weld|r1|individual');
    // What they do show is the drawn number, and the team and organisation standings are withheld.
    expect(before.parts['public competition']).toContain(`"draw":"${numbers.p1}"`);
    expect(before.parts['results weld|r1|individual']).toContain(`"draw":"${numbers.p1}"`);
    expect(before.parts['results.csv weld|r1|individual']).toContain(`,${numbers.p1},`);
    expect(before.parts['results weld|r1|team']).toContain('"rows":[]');
    expect(before.parts['audit.json (judge)']).toMatch(/ 403 /);
    expect(before.parts['audit.csv (public)']).toMatch(/ 401 /);

    // Only the event's chief judge confirms, over the judge socket; not the organiser who asked.
    const self = await command('draw.confirm', { eventId: EVENT });
    expect(self.status).toBe(403);
    const tablet = await connectSocket(podium.url, '/judge', { auth: { token: chief } });
    const confirmed = await ask(tablet, 'cmd:draw.confirm', [
      { opId: opId(), competitionId: id, eventId: EVENT },
    ]);
    expect(confirmed).toMatchObject({ ok: true });

    await expect
      .poll(() => feed.lines.map((l) => JSON.stringify(l)).join('\n'), { timeout: 5_000 })
      .toContain('张三');
    await expect.poll(() => hook.bodies.join('\n'), { timeout: 10_000 }).toContain('张三');
    const after = await everything();
    for (const name of [
      'public competition',
      'judge competition',
      'results weld|r1|individual',
      'results.csv weld|r1|individual',
      'score sheets',
      'verify',
      'socket watch',
      'judge sheets',
    ]) {
      expect(after.parts[name], name).toContain('张三');
    }
    expect(after.parts['results weld|r1|team']).toContain('一厂代表队');
    expect(after.parts['results weld|r1|organisation']).toContain('二厂');

    // The audit log says who asked and who confirmed.
    const audit = (await http(podium.url, `/api/competitions/${id}/audit.json`, { token: organiser })).text;
    const { entries } = JSON.parse(audit) as { entries: Array<{ type: string; actor: string }> };
    const who = (type: string) => entries.filter((e) => e.type === type).map((e) => e.actor);
    expect(who('draw.make')).toEqual(['organiser:admin']);
    expect(who('draw.decode')).toEqual(['organiser:admin']);
    expect(who('draw.confirm')).toEqual(['judge:c1']);
    // Decoded is for good: no second draw, no second decode.
    expect((await command('draw.make', { eventId: EVENT })).status).toBe(400);

    // The log replays to the same numbers and decode: a restore of the archive verifies.
    const archive = await http(podium.url, `/api/competitions/${id}/archive`, { token: organiser });
    const restored = await http(podium.url, `/api/competitions/${id}/restore?replace=1`, {
      token: organiser,
      method: 'POST',
      body: archive.text,
    });
    expect(restored.body).toMatchObject({
      ok: true,
      verified: { setup: true, control: true, rebuildDifferences: 0 },
    });
    const again = (await http(podium.url, `/api/competitions/${id}`)).body.control as typeof control;
    expect(again.draws[EVENT]).toEqual({ numbers, decodeRequested: true, decoded: true });
  });
});
