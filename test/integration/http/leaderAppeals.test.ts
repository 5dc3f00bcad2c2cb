/**
 * Issue #14 item 3, the team leader's path: the organiser issues a leader code per team (hashed,
 * revocable, like judge codes); the leader signs in with it, files appeals for the team's own
 * contestants before the event's deadline and follows their state — nothing else. Every refusal
 * is 401/403/409 with the usual code and leaves the competition as it was. Real HTTP, real Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NS } from '../../../server/auth/records.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import type { LeaderView } from '../../../shared/leader.ts';
import type { OfficialLines } from '../../../shared/officialLines.ts';
import { snapshotState } from '../../support/fixtures.ts';
import {
  openRound,
  PUBLIC_URL,
  putSetup,
  runCommand,
  sampleCompetition,
  startApi,
  uniqueId,
  type Api,
} from './harness.ts';

interface IssuedLeaderCode {
  ok: true;
  teamId: string;
  name: string;
  code: string;
  url: string;
  qr: string;
}

/** Two teams: 一厂 (A001) and 二厂 (A002). */
function teamCompetition(id: string) {
  const base = sampleCompetition(id);
  return {
    ...base,
    teams: [
      { id: 't1', name: '一厂代表队' },
      { id: 't2', name: '二厂代表队' },
    ],
    contestants: base.contestants.map((c) => ({ ...c, teamId: c.id === 'A001' ? 't1' : 't2' })),
  };
}

describe('team leader appeals (Redis store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function competition(open = true): Promise<string> {
    const id = uniqueId('lead');
    await putSetup(api, organiser, teamCompetition(id));
    if (open) await openRound(api, id);
    return id;
  }

  async function issue(id: string, teamId: string): Promise<IssuedLeaderCode> {
    const res = await api.call(`/competitions/${id}/teams/${teamId}/leader-code`, {
      method: 'POST',
      token: organiser,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as IssuedLeaderCode;
  }

  async function signIn(code: string): Promise<Response> {
    return api.call('/auth/leader', { method: 'POST', json: { code } });
  }

  async function leaderToken(id: string, teamId: string): Promise<string> {
    const res = await signIn((await issue(id, teamId)).code);
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  function fileAppeal(
    id: string,
    token: string,
    contestantId: string,
    appealId = `ap-${randomUUID().slice(0, 8)}`,
  ) {
    return api.call(`/competitions/${id}/commands/appeal.file`, {
      method: 'POST',
      token,
      json: {
        opId: randomUUID(),
        eventId: 'weld',
        roundId: 'r1',
        contestantId,
        appealId,
        grounds: '评委漏看第三项',
      },
    });
  }

  async function official(id: string): Promise<OfficialLines> {
    const res = await api.call(`/competitions/${id}/official?event=weld&round=r1`, { token: organiser });
    expect(res.status).toBe(200);
    return (await res.json()) as OfficialLines;
  }

  async function leaderView(id: string, token: string): Promise<LeaderView> {
    const res = await api.call(`/competitions/${id}/leader`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as LeaderView;
  }

  /** The answer's status and error code; then the competition must be exactly as before. */
  async function refusedWithoutChange(id: string, request: () => Promise<Response>): Promise<string> {
    const before = await snapshotState(api.store, id);
    const res = await request();
    const body = (await res.json()) as { ok: boolean; code?: string };
    expect(body.ok).toBe(false);
    expect(await snapshotState(api.store, id)).toEqual(before);
    return `${res.status} ${body.code}`;
  }

  it('issues a leader code per team with a sign-in link on the public URL, kept only as a hash', async () => {
    const id = await competition();
    const issued = await issue(id, 't1');
    expect(issued).toMatchObject({ teamId: 't1', name: '一厂代表队' });
    expect(issued.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(issued.url).toBe(`${PUBLIC_URL}/leader/#code=${encodeURIComponent(issued.code)}`);
    expect(issued.qr.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const stored = JSON.stringify(await api.store.listRecords(NS.leaderCode));
    expect(stored).not.toContain(issued.code.replace('-', ''));
    expect(stored).not.toContain(issued.code);

    const active = await api.call(`/competitions/${id}/leader-codes`, { token: organiser });
    expect(await active.json()).toEqual({ ok: true, active: ['t1'] });
    const all = await api.call(`/competitions/${id}/leader-codes`, {
      method: 'POST',
      token: organiser,
      json: {},
    });
    const { codes } = (await all.json()) as { codes: IssuedLeaderCode[] };
    expect(codes.map((c) => c.teamId)).toEqual(['t1', 't2']);
    // Reissuing replaced the first code: it no longer signs in.
    expect((await signIn(issued.code)).status).toBe(401);
    expect((await signIn(codes[0]!.code)).status).toBe(200);
    const unknown = await api.call(`/competitions/${id}/teams/nope/leader-code`, {
      method: 'POST',
      token: organiser,
    });
    expect(unknown.status).toBe(404);
  });

  it('a leader files for their own contestant; the organiser sees who filed it and decides; the leader sees the decision', async () => {
    const id = await competition();
    const signInRes = await signIn((await issue(id, 't1')).code);
    const session = (await signInRes.json()) as { token: string; competitionId: string; team: unknown };
    expect(session).toMatchObject({ competitionId: id, team: { id: 't1', name: '一厂代表队' } });

    const before = await leaderView(id, session.token);
    expect(before.team).toEqual({ id: 't1', name: '一厂代表队' });
    expect(before.contestants).toEqual([{ id: 'A001', eventId: 'weld', name: '张三' }]);
    expect(before.events).toEqual([
      {
        id: 'weld',
        name: '焊工',
        appealsCloseAt: null,
        rounds: [{ id: 'r1', name: '决赛', state: 'open', status: 'provisional' }],
      },
    ]);
    expect(before.appeals).toEqual([]);

    const filed = await fileAppeal(id, session.token, 'A001', 'ap-1');
    expect(filed.status).toBe(200);
    const line = (await official(id)).lines.find((l) => l.contestantId === 'A001');
    expect(line?.appeals).toEqual([
      { id: 'ap-1', grounds: '评委漏看第三项', status: 'open', leaderTeamId: 't1' },
    ]);
    // The audit log names the leader's team, never the code.
    const log = await api.store.readLog(id, undefined, 100);
    expect(log.at(-1)).toMatchObject({ type: 'appeal.file', actor: 'leader:t1' });

    const decided = await api.call(`/competitions/${id}/commands/appeal.decide`, {
      method: 'POST',
      token: organiser,
      json: {
        opId: randomUUID(),
        eventId: 'weld',
        roundId: 'r1',
        contestantId: 'A001',
        appealId: 'ap-1',
        decision: 'rejected',
        reason: '复核无误',
      },
    });
    expect(decided.status).toBe(200);
    const after = await leaderView(id, session.token);
    expect(after.appeals).toEqual([
      {
        id: 'ap-1',
        grounds: '评委漏看第三项',
        status: 'rejected',
        reason: '复核无误',
        leaderTeamId: 't1',
        eventId: 'weld',
        roundId: 'r1',
        contestantId: 'A001',
      },
    ]);
    // Replaying the log gives the same sheets: the filer comes back from the log's actor.
    expect((await rebuild(api.store, id)).differences).toEqual([]);
    // No marks and nothing of the other team in what the leader reads.
    const text = JSON.stringify(after);
    for (const hidden of ['李四', 'A002', 'marks', 'total', 'j1']) expect(text).not.toContain(hidden);
  });

  it("refuses another team's contestant, an appeal after the deadline, before the round opened — changing nothing", async () => {
    const id = await competition();
    const token = await leaderToken(id, 't1');
    expect(await refusedWithoutChange(id, () => fileAppeal(id, token, 'A002'))).toBe('403 forbidden');

    await runCommand(api, {
      name: 'appeal.deadline',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', closesAt: Date.now() - 1000 },
    });
    expect(await refusedWithoutChange(id, () => fileAppeal(id, token, 'A001'))).toBe('409 appeal_closed');
    expect((await leaderView(id, token)).events[0]?.appealsCloseAt).toBeLessThan(Date.now());

    const pending = await competition(false);
    const pendingToken = await leaderToken(pending, 't1');
    expect(await refusedWithoutChange(pending, () => fileAppeal(pending, pendingToken, 'A001'))).toBe(
      '409 round_not_open',
    );
  });

  it('a revoked code ends the leader session at once and no longer signs in', async () => {
    const id = await competition();
    const { code } = await issue(id, 't1');
    const token = ((await (await signIn(code)).json()) as { token: string }).token;
    const revoke = await api.call(`/competitions/${id}/teams/t1/leader-code`, {
      method: 'DELETE',
      token: organiser,
    });
    expect(await revoke.json()).toEqual({ ok: true, revoked: true });
    expect(await refusedWithoutChange(id, () => fileAppeal(id, token, 'A001'))).toBe('401 unauthorized');
    expect((await api.call(`/competitions/${id}/leader`, { token })).status).toBe(401);
    expect((await signIn(code)).status).toBe(401);
    const active = await api.call(`/competitions/${id}/leader-codes`, { token: organiser });
    expect(await active.json()).toEqual({ ok: true, active: [] });
  });

  it('a leader can do nothing else: other commands, organiser reads, judge routes, another competition', async () => {
    const id = await competition();
    const other = await competition();
    const token = await leaderToken(id, 't1');
    await fileAppeal(id, token, 'A001', 'ap-x').then((r) => expect(r.status).toBe(200));
    const target = { opId: randomUUID(), eventId: 'weld', roundId: 'r1', contestantId: 'A001' };
    const commands: Array<[string, Record<string, unknown>]> = [
      ['appeal.decide', { ...target, appealId: 'ap-x', decision: 'upheld', reason: '自己裁决' }],
      ['appeal.deadline', { opId: randomUUID(), eventId: 'weld', closesAt: null }],
      ['deduction.add', { ...target, deduction: { id: 'd1', points: '1', reason: '扣分' } }],
      ['mark.correct', { ...target, judgeId: 'j1', criterionId: 'quality', value: '90', reason: '改分' }],
      ['outcome.set', { ...target, outcome: 'dsq', reason: '取消' }],
      ['round.state', { opId: randomUUID(), eventId: 'weld', roundId: 'r1', state: 'closed' }],
      ['round.finalize', { opId: randomUUID(), eventId: 'weld', roundId: 'r1' }],
    ];
    for (const [name, payload] of commands) {
      const answer = await refusedWithoutChange(id, () =>
        api.call(`/competitions/${id}/commands/${name}`, { method: 'POST', token, json: payload }),
      );
      expect({ name, answer }).toEqual({ name, answer: '403 forbidden' });
    }
    const setup = teamCompetition(id);
    expect(
      await refusedWithoutChange(id, () =>
        api.call(`/competitions/${id}/setup`, {
          method: 'PUT',
          token,
          json: { opId: randomUUID(), competition: setup },
        }),
      ),
    ).toBe('403 forbidden');
    for (const path of [
      `/competitions/${id}/official?event=weld&round=r1`,
      `/competitions/${id}/judge-codes`,
      `/competitions/${id}/leader-codes`,
      `/competitions/${id}/archive`,
      `/competitions/${id}/results.csv`,
      `/competitions/${other}/leader`,
    ]) {
      expect({ path, status: (await api.call(path, { token })).status }).toEqual({ path, status: 403 });
    }
    expect(await refusedWithoutChange(other, () => fileAppeal(other, token, 'A001'))).toBe('403 forbidden');
    expect(
      await refusedWithoutChange(id, () =>
        api.call(`/competitions/${id}/teams/t2/leader-code`, { method: 'POST', token }),
      ),
    ).toBe('403 forbidden');
  });
});

describe('team leader sign-in limits (Redis store)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl'), rateLimits: { signInConsecutiveFailures: 3 } });
  });
  afterAll(async () => api.stop());

  it('wrong codes against one code are blocked after the consecutive-failure limit (429 with Retry-After)', async () => {
    const organiser = await api.organiserToken();
    const id = uniqueId('lead');
    await putSetup(api, organiser, teamCompetition(id));
    const issue = await api.call(`/competitions/${id}/teams/t1/leader-code`, {
      method: 'POST',
      token: organiser,
    });
    const { code } = (await issue.json()) as IssuedLeaderCode;
    // Same first four characters (the account the limits count on), a wrong rest.
    const wrong = `${code.slice(0, 4)}-${code.slice(5) === '2222' ? '3333' : '2222'}`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i += 1) {
      const res = await api.call('/auth/leader', { method: 'POST', json: { code: wrong } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // A judge code never signs in as a team leader, nor the reverse.
    expect((await api.call('/auth/judge', { method: 'POST', json: { code } })).status).toBe(401);
  });
});
