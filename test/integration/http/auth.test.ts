import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../../../server/store/index.ts';
import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  putSetup,
  sampleCompetition,
  startApi,
  uniqueId,
  type Api,
} from './harness.ts';

interface Body {
  ok: boolean;
  code?: string;
  token?: string;
  [k: string]: unknown;
}

async function body(res: Response): Promise<Body> {
  return (await res.json()) as Body;
}

describe('organiser and judge sign-in (embedded store)', () => {
  let api: Api;
  let organiser: string;
  const id = uniqueId();

  beforeAll(async () => {
    api = await startApi();
    organiser = await api.organiserToken();
    await putSetup(api, organiser, sampleCompetition(id));
  });
  afterAll(async () => api.stop());

  it('signs an organiser in with the right password and knows who they are', async () => {
    const res = await api.call('/auth/organiser', {
      method: 'POST',
      json: { user: ADMIN_USER, password: ADMIN_PASSWORD },
    });
    expect(res.status).toBe(200);
    const { token, expiresAt } = await body(res);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const me = await body(await api.call('/auth/me', { token: String(token) }));
    expect(me).toEqual({ ok: true, actor: { kind: 'organiser', id: ADMIN_USER } });
  });

  it('refuses a wrong password or unknown user with 401 unauthorized', async () => {
    for (const json of [
      { user: ADMIN_USER, password: 'wrong-password' },
      { user: 'nobody', password: ADMIN_PASSWORD },
    ]) {
      const res = await api.call('/auth/organiser', { method: 'POST', json });
      expect(res.status).toBe(401);
      expect(await body(res)).toMatchObject({ ok: false, code: 'unauthorized' });
    }
  });

  it('refuses malformed sign-in bodies with 400 invalid_payload', async () => {
    const res = await api.call('/auth/organiser', { method: 'POST', json: { user: ADMIN_USER } });
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({ ok: false, code: 'invalid_payload' });
    const broken = await api.call('/auth/organiser', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user":',
    });
    expect(broken.status).toBe(400);
    expect(await body(broken)).toMatchObject({ ok: false, code: 'invalid_payload' });
  });

  it('refuses organiser routes without a token (401) and with a judge token (403)', async () => {
    const none = await api.call(`/competitions/${id}/setup`);
    expect(none.status).toBe(401);
    expect(await body(none)).toMatchObject({ ok: false, code: 'unauthorized' });
    const bogus = await api.call(`/competitions/${id}/setup`, { token: 'x'.repeat(43) });
    expect(bogus.status).toBe(401);

    const issued = await body(
      await api.call(`/competitions/${id}/judges/j1/code`, { method: 'POST', token: organiser }),
    );
    const judge = await body(await api.call('/auth/judge', { method: 'POST', json: { code: issued.code } }));
    for (const [method, path] of [
      ['GET', `/competitions/${id}/setup`],
      ['POST', `/competitions/${id}/judges/j1/code`],
      ['GET', `/competitions/${id}/audit.json`],
      ['POST', `/competitions/${id}/commands/round.state`],
    ] as const) {
      const res = await api.call(path, {
        method,
        token: String(judge.token),
        ...(method === 'POST' ? { json: {} } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await body(res)).toMatchObject({ ok: false, code: 'forbidden' });
    }
  });

  it('issues a judge code with a sign-in link and QR code; the code signs the judge in', async () => {
    const res = await api.call(`/competitions/${id}/judges/c1/code`, { method: 'POST', token: organiser });
    expect(res.status).toBe(200);
    const issued = await body(res);
    const code = String(issued.code);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(issued.url).toBe(`https://podium.example.org/judge/#code=${code}`);
    expect(String(issued.qr)).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(String(issued.qr).split(',')[1] ?? '', 'base64').toString()).toContain('<svg');

    // Typed sloppily: lower case, without the dash.
    const signIn = await api.call('/auth/judge', {
      method: 'POST',
      json: { code: code.replace('-', '').toLowerCase() },
    });
    expect(signIn.status).toBe(200);
    const session = await body(signIn);
    expect(session).toMatchObject({
      ok: true,
      competitionId: id,
      judge: { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: ['weld'] },
    });
    const me = await body(await api.call('/auth/me', { token: String(session.token) }));
    expect(me.actor).toEqual({ kind: 'judge', judgeId: 'c1', competitionId: id, role: 'chief' });
  });

  it('ends the judge sessions when the code is revoked, and the code stops working', async () => {
    const { code } = await body(
      await api.call(`/competitions/${id}/judges/j1/code`, { method: 'POST', token: organiser }),
    );
    const session = await body(await api.call('/auth/judge', { method: 'POST', json: { code } }));
    const token = String(session.token);
    expect((await api.call('/auth/me', { token })).status).toBe(200);
    expect(await api.auth.actorForToken(token)).toMatchObject({ kind: 'judge', judgeId: 'j1' });

    const revoke = await api.call(`/competitions/${id}/judges/j1/code`, {
      method: 'DELETE',
      token: organiser,
    });
    expect(await body(revoke)).toEqual({ ok: true, revoked: true });
    expect((await api.call('/auth/me', { token })).status).toBe(401);
    expect(await api.auth.actorForToken(token)).toBeNull();
    const again = await api.call('/auth/judge', { method: 'POST', json: { code } });
    expect(again.status).toBe(401);
  });

  it('replacing a judge code retires the old one', async () => {
    const first = await body(
      await api.call(`/competitions/${id}/judges/j1/code`, { method: 'POST', token: organiser }),
    );
    const second = await body(
      await api.call(`/competitions/${id}/judges/j1/code`, { method: 'POST', token: organiser }),
    );
    expect((await api.call('/auth/judge', { method: 'POST', json: { code: first.code } })).status).toBe(401);
    expect((await api.call('/auth/judge', { method: 'POST', json: { code: second.code } })).status).toBe(200);
  });

  it('issues codes for every judge at once for printing', async () => {
    const res = await api.call(`/competitions/${id}/judge-codes`, {
      method: 'POST',
      token: organiser,
      json: {},
    });
    const { codes } = (await res.json()) as { codes: Array<{ judgeId: string; code: string }> };
    expect(codes.map((c) => c.judgeId)).toEqual(['j1', 'c1']);
    expect(new Set(codes.map((c) => c.code)).size).toBe(2);
  });

  it('answers 404 for an unknown judge or competition', async () => {
    const res = await api.call(`/competitions/${id}/judges/nobody/code`, {
      method: 'POST',
      token: organiser,
    });
    expect(res.status).toBe(404);
    expect(await body(res)).toMatchObject({ ok: false, code: 'not_found' });
    expect((await api.call(`/competitions/${uniqueId()}`)).status).toBe(404);
  });

  it('signs out: the token stops working', async () => {
    const token = await api.organiserToken();
    expect((await api.call('/auth/signout', { method: 'POST', token })).status).toBe(200);
    expect((await api.call('/auth/me', { token })).status).toBe(401);
  });

  it('never stores a token or code in clear', async () => {
    const { code } = await body(
      await api.call(`/competitions/${id}/judges/j1/code`, { method: 'POST', token: organiser }),
    );
    const session = await body(await api.call('/auth/judge', { method: 'POST', json: { code } }));
    const everything = JSON.stringify(
      await Promise.all(
        ['auth.session', 'auth.judgecode', 'auth.judgecode-of', 'auth.organiser'].map((ns) =>
          api.store.listRecords(ns),
        ),
      ),
    );
    expect(everything).not.toContain(String(code).replace('-', ''));
    expect(everything).not.toContain(String(session.token));
    expect(everything).not.toContain(ADMIN_PASSWORD);
  });
});

describe('integration API keys', () => {
  let api: Api;
  let organiser: string;
  const id = uniqueId();
  const other = uniqueId();

  beforeAll(async () => {
    api = await startApi();
    organiser = await api.organiserToken();
    await putSetup(api, organiser, sampleCompetition(id));
    await putSetup(api, organiser, sampleCompetition(other));
  });
  afterAll(async () => api.stop());

  it('lets a timing system send its commands with X-Api-Key, only in its competition, until revoked', async () => {
    const issued = await body(
      await api.call(`/competitions/${id}/api-keys`, {
        method: 'POST',
        token: organiser,
        json: { label: '计时系统' },
      }),
    );
    const key = String(issued.key);
    expect(key).toMatch(/^pk_[0-9a-f]{16}_/);
    const listed = await body(await api.call(`/competitions/${id}/api-keys`, { token: organiser }));
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.keys).toMatchObject([
      { keyId: issued.keyId, label: '计时系统', createdBy: 'organiser:admin' },
    ]);

    const send = (competitionId: string, name: string, json: object) =>
      api.call(`/competitions/${competitionId}/commands/${name}`, {
        method: 'POST',
        headers: { 'x-api-key': key },
        json,
      });
    const finish = {
      opId: randomUUID(),
      eventId: 'weld',
      roundId: 'r1',
      contestantId: 'A001',
      finishedAt: 1_700_000_000_000,
    };
    const ok = await send(id, 'finish.set', finish);
    expect(ok.status).toBe(200);
    expect(await body(ok)).toMatchObject({ ok: true, duplicate: false });
    const repeat = await body(await send(id, 'finish.set', finish));
    expect(repeat).toMatchObject({ ok: true, duplicate: true });

    expect((await send(other, 'finish.set', { ...finish, opId: randomUUID() })).status).toBe(403);
    const notAllowed = await send(id, 'round.state', {
      opId: randomUUID(),
      eventId: 'weld',
      roundId: 'r1',
      state: 'open',
    });
    expect(notAllowed.status).toBe(403);

    const revoke = await api.call(`/competitions/${id}/api-keys/${String(issued.keyId)}`, {
      method: 'DELETE',
      token: organiser,
    });
    expect(revoke.status).toBe(200);
    const after = await send(id, 'finish.set', { ...finish, opId: randomUUID() });
    expect(after.status).toBe(401);
  });
});

describe('sign-in rate limits', () => {
  it('answers 429 with Retry-After after 5 failed attempts from one address, even with the right password', async () => {
    const api = await startApi();
    try {
      for (let i = 0; i < 5; i++) {
        const res = await api.call('/auth/organiser', {
          method: 'POST',
          json: { user: ADMIN_USER, password: `guess-${i}` },
        });
        expect(res.status).toBe(401);
      }
      const limited = await api.call('/auth/organiser', {
        method: 'POST',
        json: { user: ADMIN_USER, password: ADMIN_PASSWORD },
      });
      expect(limited.status).toBe(429);
      expect(await body(limited)).toMatchObject({ ok: false, code: 'rate_limited' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await api.stop();
    }
  });

  it('does not count successful sign-ins: a room of judges behind one address can all sign in', async () => {
    const api = await startApi();
    try {
      const organiser = await api.organiserToken();
      const id = uniqueId();
      const judges = Array.from({ length: 15 }, (_, i) => ({
        id: `j${i}`,
        name: `裁判${i}`,
        role: 'judge' as const,
        eventIds: ['weld'],
      }));
      await putSetup(api, organiser, sampleCompetition(id, { judges }));
      const res = await api.call(`/competitions/${id}/judge-codes`, {
        method: 'POST',
        token: organiser,
        json: {},
      });
      const { codes } = (await res.json()) as { codes: Array<{ code: string }> };
      for (const { code } of codes) {
        expect((await api.call('/auth/judge', { method: 'POST', json: { code } })).status).toBe(200);
      }
    } finally {
      await api.stop();
    }
  });

  it('limits guesses per code prefix', async () => {
    const api = await startApi({ rateLimits: { signInPerIpPerMinute: 1000, signInConsecutiveFailures: 3 } });
    try {
      const statuses: number[] = [];
      for (const suffix of ['AAAA', 'BBBB', 'CCCC', 'DDDD']) {
        statuses.push(
          (await api.call('/auth/judge', { method: 'POST', json: { code: `WXYZ-${suffix}` } })).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect((await api.call('/auth/judge', { method: 'POST', json: { code: 'QRST-AAAA' } })).status).toBe(
        401,
      );
    } finally {
      await api.stop();
    }
  });

  it('holds limits across two nodes sharing Redis', async () => {
    const redisUrl = inject('redisUrl');
    const prefix = `shared-rl-${randomUUID()}`;
    const store = new RedisStore(redisUrl);
    const a = await startApi({ redisUrl, store, rateLimits: { keyPrefix: prefix, signInPerIpPerMinute: 4 } });
    const b = await startApi({ redisUrl, store, rateLimits: { keyPrefix: prefix, signInPerIpPerMinute: 4 } });
    try {
      const wrong = { method: 'POST', json: { user: ADMIN_USER, password: 'nope-nope' } };
      expect((await a.call('/auth/organiser', wrong)).status).toBe(401);
      expect((await b.call('/auth/organiser', wrong)).status).toBe(401);
      expect((await a.call('/auth/organiser', wrong)).status).toBe(401);
      expect((await b.call('/auth/organiser', wrong)).status).toBe(401);
      expect((await a.call('/auth/organiser', wrong)).status).toBe(429);
      expect((await b.call('/auth/organiser', wrong)).status).toBe(429);
    } finally {
      await a.stop();
      await b.stop();
      await store.close();
    }
  });
});
