/**
 * The role matrix: every write (each command, judge and team-leader codes, API keys, CSV import, restore) tried by
 * every kind of caller over a real server, real sockets and Redis. Exactly the allowed callers
 * succeed; everyone else gets the expected code and the competition stays exactly as it was.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandSchemas, type CommandName } from '../../../shared/commands.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  ask,
  beyondRateLimit,
  closeSockets,
  connectSocket,
  http,
  LOCKED_CONTESTANT,
  opId,
  ORGANISER,
  seedCompetition,
  snapshotState,
  uniqueId,
  type Credentials,
  type HttpCall,
  type Namespace,
  type SeededCompetition,
} from '../../support/fixtures.ts';

type Channel = 'http' | Namespace;

interface Caller {
  name: string;
  channel: Channel;
  /** The credential this caller presents, if any. */
  credential?: keyof Credentials;
  /** Outcome for a command this caller may not send. */
  refusal(command: CommandName): string;
}

const JUDGE_EVENTS: ReadonlySet<CommandName> = new Set([
  'marks.submit',
  'measured.enter',
  'deduction.add',
  'deduction.remove',
  'mark.correct',
  'outcome.set',
  'finish.set',
  'sheet.lock',
  'sheet.sign',
  'draw.confirm',
]);

/** A /judge socket has no event for other commands: nobody answers. */
const judgeSocketRefusal = (command: CommandName) => (JUDGE_EVENTS.has(command) ? 'forbidden' : 'no-ack');
const always = (code: string) => () => code;

const CALLERS: Caller[] = [
  { name: 'anonymous (http)', channel: 'http', refusal: always('unauthorized') },
  { name: 'anonymous (/judge)', channel: '/judge', refusal: always('refused:unauthorized') },
  { name: 'anonymous (/admin)', channel: '/admin', refusal: always('refused:unauthorized') },
  { name: 'spectator (/public)', channel: '/public', refusal: always('no-ack') },
  { name: 'judge', channel: '/judge', credential: 'judge', refusal: judgeSocketRefusal },
  { name: 'judge (http)', channel: 'http', credential: 'judge', refusal: always('forbidden') },
  {
    name: 'judge of another event',
    channel: '/judge',
    credential: 'otherEventJudge',
    refusal: judgeSocketRefusal,
  },
  {
    name: 'judge after lock',
    channel: '/judge',
    credential: 'lateJudge',
    refusal: (c) => (c === 'marks.submit' ? 'sheet_locked' : judgeSocketRefusal(c)),
  },
  {
    name: 'judge with revoked code',
    channel: '/judge',
    credential: 'revokedJudge',
    refusal: always('refused:unauthorized'),
  },
  {
    name: 'judge with revoked code (http)',
    channel: 'http',
    credential: 'revokedJudge',
    refusal: always('unauthorized'),
  },
  { name: 'chief judge', channel: '/judge', credential: 'chief', refusal: judgeSocketRefusal },
  { name: 'chief judge (http)', channel: 'http', credential: 'chief', refusal: always('forbidden') },
  { name: 'organiser', channel: '/admin', credential: 'organiser', refusal: always('forbidden') },
  { name: 'organiser (http)', channel: 'http', credential: 'organiser', refusal: always('forbidden') },
  { name: 'integration key', channel: 'http', credential: 'apiKey', refusal: always('forbidden') },
  // Team leaders file appeals over HTTP for their own team's contestants (c10 is in t1), nothing else.
  { name: 'team leader (http)', channel: 'http', credential: 'leader', refusal: always('forbidden') },
  {
    name: 'team leader of another team (http)',
    channel: 'http',
    credential: 'otherLeader',
    refusal: always('forbidden'),
  },
  {
    name: 'team leader (/admin)',
    channel: '/admin',
    credential: 'leader',
    refusal: always('refused:unauthorized'),
  },
  {
    name: 'team leader (/judge)',
    channel: '/judge',
    credential: 'leader',
    refusal: always('refused:unauthorized'),
  },
  {
    name: 'team leader with revoked code (http)',
    channel: 'http',
    credential: 'revokedLeader',
    refusal: always('unauthorized'),
  },
  { name: 'expired token (http)', channel: 'http', credential: 'expired', refusal: always('unauthorized') },
  {
    name: 'expired token (/admin)',
    channel: '/admin',
    credential: 'expired',
    refusal: always('refused:unauthorized'),
  },
  { name: 'forged token (http)', channel: 'http', credential: 'forged', refusal: always('unauthorized') },
  {
    name: 'forged token (/admin)',
    channel: '/admin',
    credential: 'forged',
    refusal: always('refused:unauthorized'),
  },
];

const ORGANISERS = ['organiser', 'organiser (http)'];
const CHIEF_WORK = ['chief judge', ...ORGANISERS];
const FIELD_WORK = ['chief judge', ...ORGANISERS, 'integration key'];

/** Who may send each command (server/domain/policy.ts, restated as the product rules). */
const ALLOWED: Record<CommandName, readonly string[]> = {
  'marks.submit': ['judge', 'chief judge'],
  'measured.enter': FIELD_WORK,
  'deduction.add': FIELD_WORK,
  'deduction.remove': FIELD_WORK,
  'mark.correct': CHIEF_WORK,
  'outcome.set': FIELD_WORK,
  'finish.set': FIELD_WORK,
  'sheet.lock': CHIEF_WORK,
  'setup.put': ORGANISERS,
  'round.state': ORGANISERS,
  'stage.set': ORGANISERS,
  'board.freeze': ORGANISERS,
  'board.reveal': ORGANISERS,
  'round.finalize': ORGANISERS,
  'event.embargo': ORGANISERS,
  'display.set': ORGANISERS,
  'sheet.sign': ['chief judge'],
  'appeal.file': [...ORGANISERS, 'team leader (http)'],
  'appeal.decide': ORGANISERS,
  'appeal.deadline': ORGANISERS,
  'round.qualifiers': ORGANISERS,
  // Anonymised events: the organiser draws and asks to decode, the event's chief judge confirms.
  'draw.make': ORGANISERS,
  'draw.decode': ORGANISERS,
  'draw.confirm': ['chief judge'],
};

/** Each sheet command works on its own contestant, so rows never disturb each other. */
const CONTESTANT: Partial<Record<CommandName, string>> = {
  'marks.submit': 'c2',
  'measured.enter': 'c3',
  'deduction.add': 'c4',
  'deduction.remove': 'c5',
  'mark.correct': 'c1',
  'outcome.set': 'c6',
  'finish.set': 'c7',
  'sheet.lock': 'c8',
  'sheet.sign': 'c9',
  'appeal.file': 'c10',
  'appeal.decide': 'c11',
};

/**
 * The seeded competition with two anonymised events, e3 and e4 (one contestant each, judged by ja,
 * signed by the chief, round closed): ready for a draw and a decode.
 */
async function withAnonymisedEvents(
  podium: TestPodium,
  seeded: SeededCompetition,
): Promise<SeededCompetition> {
  const { competitionId } = seeded;
  const event = (id: string) => ({
    ...seeded.setup.events[1]!,
    id,
    name: `Anonymised ${id}`,
    anonymised: true,
  });
  const setup = {
    ...seeded.setup,
    events: [...seeded.setup.events, event('e3'), event('e4')],
    contestants: [
      ...seeded.setup.contestants,
      {
        id: 'z3',
        eventId: 'e3',
        bib: 'N3',
        name: 'Hidden Three',
        organisation: 'West Works',
        region: 'West',
      },
      { id: 'z4', eventId: 'e4', bib: 'N4', name: 'Hidden Four', organisation: 'West Works', region: 'West' },
    ],
    judges: [
      ...seeded.setup.judges.map((j) => (j.id === 'chief' ? { ...j, eventIds: ['e1', 'e3', 'e4'] } : j)),
      { id: 'ja', name: 'Judge A', role: 'judge' as const, eventIds: ['e3', 'e4'] },
    ],
  };
  const run = (
    actor: Parameters<typeof podium.service.execute>[0],
    command: Parameters<typeof podium.service.execute>[1],
  ) => podium.service.execute(actor, command);
  await run(ORGANISER, { name: 'setup.put', payload: { opId: opId(), competition: setup } });
  for (const [eventId, contestantId] of [
    ['e3', 'z3'],
    ['e4', 'z4'],
  ] as const) {
    const round = { competitionId, eventId, roundId: 'r1' };
    await run(ORGANISER, { name: 'round.state', payload: { opId: opId(), ...round, state: 'open' } });
    await run(
      { kind: 'judge', judgeId: 'ja', competitionId, role: 'judge' },
      { name: 'marks.submit', payload: { opId: opId(), ...round, contestantId, marks: { q: '8' } } },
    );
    await run(
      { kind: 'judge', judgeId: 'chief', competitionId, role: 'chief' },
      { name: 'sheet.sign', payload: { opId: opId(), ...round, contestantId, signed: true } },
    );
    await run(ORGANISER, { name: 'round.state', payload: { opId: opId(), ...round, state: 'closed' } });
  }
  return { ...seeded, setup };
}

/**
 * The seeded competition with teams: t1 holds c10 (appeal.file's contestant), t2 and t3 hold other
 * contestants, t4 none; a leader session of t1 and t2, and one of t3 whose code was then revoked.
 */
async function withTeams(podium: TestPodium, seeded: SeededCompetition): Promise<SeededCompetition> {
  const { competitionId } = seeded;
  const teamOf: Record<string, string> = { c10: 't1', c1: 't2', c2: 't3' };
  const setup = {
    ...seeded.setup,
    teams: [
      { id: 't1', name: 'North team' },
      { id: 't2', name: 'South team' },
      { id: 't3', name: 'East team' },
      // No leader signed in: the leader-code actions below issue and revoke its code.
      { id: 't4', name: 'Spare team' },
    ],
    contestants: seeded.setup.contestants.map((c) =>
      teamOf[c.id] === undefined ? c : { ...c, teamId: teamOf[c.id] },
    ),
  };
  await podium.service.execute(ORGANISER, {
    name: 'setup.put',
    payload: { opId: opId(), competition: setup },
  });
  const leaderToken = async (teamId: string) => {
    const { code } = await podium.auth.issueLeaderCode(competitionId, teamId);
    return (await podium.auth.signInLeader(code, '127.0.0.1')).token;
  };
  const revokedLeader = await leaderToken('t3');
  await podium.auth.revokeLeaderCode(competitionId, 't3');
  const credentials = {
    ...seeded.credentials,
    leader: await leaderToken('t1'),
    otherLeader: await leaderToken('t2'),
    revokedLeader,
  };
  return { ...seeded, setup, credentials };
}

/** A deduction id per caller, so that each one removes (or fails to remove) its own. */
const deductionId = (caller: Caller) => `x-${caller.name.replace(/[^a-z]/g, '')}`;

describe('role matrix (Redis store)', () => {
  let podium: TestPodium;
  let seeded: SeededCompetition;
  let archiveId: string;
  let archive: string;
  let spareKeyId: string;
  const sockets = new Map<string, Socket>();
  const counts = { cells: 0, allowed: 0 };

  beforeAll(async () => {
    podium = await startTestPodium({ redisUrl: inject('redisUrl') });
    seeded = await withTeams(podium, await withAnonymisedEvents(podium, await seedCompetition(podium)));
    const { competitionId } = seeded;
    for (const caller of CALLERS) {
      await podium.service.execute(ORGANISER, {
        name: 'deduction.add',
        payload: {
          opId: opId(),
          competitionId,
          eventId: 'e1',
          roundId: 'r1',
          contestantId: CONTESTANT['deduction.remove'] ?? '',
          deduction: { id: deductionId(caller), points: '1', reason: 'Seeded' },
        },
      });
      // An open appeal per caller, for appeal.decide.
      await podium.service.execute(ORGANISER, {
        name: 'appeal.file',
        payload: {
          opId: opId(),
          competitionId,
          eventId: 'e1',
          roundId: 'r1',
          contestantId: CONTESTANT['appeal.decide'] ?? '',
          appealId: deductionId(caller),
          grounds: 'Seeded',
        },
      });
    }
    spareKeyId = (await podium.auth.issueApiKey(competitionId, 'Spare', ORGANISER)).keyId;
    // e2/r1 frozen, then two results behind the freeze: one reveal step for each organiser (a
    // step with nothing left to reveal is refused with nothing_to_reveal).
    const e2 = { competitionId, eventId: 'e2', roundId: 'r1' };
    await podium.service.execute(ORGANISER, {
      name: 'board.freeze',
      payload: { opId: opId(), ...e2, frozen: true },
    });
    for (const [contestantId, q] of [
      ['d1', '7'],
      ['d2', '8'],
    ] as const) {
      await podium.service.execute(
        { kind: 'judge', judgeId: 'j2', competitionId, role: 'judge' },
        { name: 'marks.submit', payload: { opId: opId(), ...e2, contestantId, marks: { q } } },
      );
    }

    // A second competition to restore: archived, then changed, so a restore would visibly undo it.
    archiveId = (await seedCompetition(podium, uniqueId('arc'))).competitionId;
    const exported = await http(podium.url, `/api/competitions/${archiveId}/archive`, {
      token: seeded.credentials.organiser,
    });
    expect(exported.status).toBe(200);
    archive = exported.text;
    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId: archiveId, eventId: 'e1', roundId: 'r1', state: 'closed' },
    });
  });

  afterAll(async () => {
    closeSockets();
    console.log(`roles: ${counts.cells} caller × action cells, ${counts.allowed} allowed`);
    await podium.stop();
  });

  function payloadFor(name: CommandName, caller: Caller): Record<string, unknown> {
    const { competitionId, setup } = seeded;
    const base = { opId: opId(), competitionId };
    const contestantId = caller.name === 'judge after lock' ? LOCKED_CONTESTANT : (CONTESTANT[name] ?? 'c1');
    const sheet = { ...base, eventId: 'e1', roundId: 'r1', contestantId };
    const r2 = { ...base, eventId: 'e1', roundId: 'r2' };
    switch (name) {
      case 'marks.submit':
        return { ...sheet, marks: { q: '7' } };
      case 'measured.enter':
        return { ...sheet, criterionId: 't', value: '12.34' };
      case 'deduction.add':
        return { ...sheet, deduction: { id: deductionId(caller), points: '0.5', reason: 'Safety' } };
      case 'deduction.remove':
        return { ...sheet, deductionId: deductionId(caller), reason: 'Appeal upheld' };
      case 'mark.correct':
        return { ...sheet, judgeId: 'j1', criterionId: 'q', value: '6', reason: 'Recount' };
      case 'outcome.set':
        return { ...sheet, outcome: 'dnf', reason: 'Did not finish' };
      case 'finish.set':
        return { ...sheet, finishedAt: 1_700_000_000_000 };
      case 'sheet.lock':
        return { ...sheet, locked: true };
      case 'setup.put':
        return { opId: opId(), competition: { ...setup, name: `Renamed by ${caller.name}` } };
      case 'round.state':
        return { ...r2, state: 'open' };
      case 'stage.set':
        return { ...base, eventId: 'e1', roundId: 'r1', contestantId: 'c2' };
      case 'board.freeze':
        return { ...r2, frozen: true };
      case 'board.reveal':
        return { ...base, eventId: 'e2', roundId: 'r1' };
      case 'round.finalize':
        // Both organisers are allowed; a finalized round cannot be finalized twice, so each takes its own.
        return caller.channel === 'http' ? { ...base, eventId: 'e2', roundId: 'r1' } : r2;
      case 'event.embargo':
        return { ...base, eventId: 'e2', embargoed: true };
      case 'display.set':
        return {
          ...base,
          displayId: 'hall-a',
          settings: { scale: 150, rows: 6, detail: false, legend: true, rotate: 0 },
        };
      case 'sheet.sign':
        // Withdrawing needs no complete sheet (this one has none), only a reason.
        return { ...sheet, signed: false, reason: 'Recount' };
      case 'appeal.file':
        return { ...sheet, appealId: deductionId(caller), grounds: 'Mark 3 was misread' };
      case 'appeal.decide':
        return { ...sheet, appealId: deductionId(caller), decision: 'rejected', reason: 'Marks stand' };
      case 'appeal.deadline':
        return { ...base, eventId: 'e1', closesAt: 4_102_444_800_000 };
      case 'round.qualifiers':
        return { ...base, eventId: 'e1', roundId: 'r1' };
      // e3 and e4 are anonymised and fully signed: each organiser draws and asks on its own event.
      case 'draw.make':
      case 'draw.decode':
        return { ...base, eventId: caller.channel === 'http' ? 'e4' : 'e3' };
      case 'draw.confirm':
        return { ...base, eventId: 'e3' };
    }
  }

  function callFor(caller: Caller): HttpCall {
    const credential = caller.credential === undefined ? undefined : seeded.credentials[caller.credential];
    if (credential === undefined) return {};
    return caller.credential === 'apiKey' ? { apiKey: credential } : { token: credential };
  }

  /** The HTTP answer as an outcome; checks the status matches the code. */
  async function viaHttp(path: string, call: HttpCall): Promise<string> {
    const answer = await http(podium.url, path, call);
    if (answer.body.ok === true) {
      expect(answer.status).toBe(200);
      return 'ok';
    }
    const code = String(answer.body.code);
    const status = { unauthorized: 401, forbidden: 403, rate_limited: 429 }[code];
    if (status !== undefined) expect(answer.status).toBe(status);
    return code;
  }

  /** Emit on the caller's socket (connected once); 'refused:<reason>' when the handshake fails. */
  async function viaSocket(caller: Caller, event: string, payload: unknown): Promise<string> {
    let socket = sockets.get(caller.name);
    if (socket?.connected !== true) {
      const token = caller.credential === undefined ? undefined : seeded.credentials[caller.credential];
      try {
        socket = await connectSocket(
          podium.url,
          caller.channel as Namespace,
          token ? { auth: { token } } : {},
        );
      } catch (err) {
        return `refused:${(err as Error).message}`;
      }
      sockets.set(caller.name, socket);
    }
    try {
      const ack = await ask(socket, event, [payload], 250);
      return ack.ok ? 'ok' : ack.code;
    } catch {
      return 'no-ack';
    }
  }

  function sendCommand(caller: Caller, name: CommandName): Promise<string> {
    const payload = payloadFor(name, caller);
    return caller.channel === 'http'
      ? viaHttp(`/api/competitions/${seeded.competitionId}/commands/${name}`, {
          ...callFor(caller),
          method: 'POST',
          json: payload,
        })
      : viaSocket(caller, `cmd:${name}`, payload);
  }

  /** Refused callers first (against the untouched state), then the allowed ones. */
  function inOrder(allowed: readonly string[], callers: readonly Caller[]): Caller[] {
    return [
      ...callers.filter((c) => !allowed.includes(c.name)),
      ...callers.filter((c) => allowed.includes(c.name)),
    ];
  }

  async function checkCell(
    caller: Caller,
    allowed: boolean,
    expected: string,
    competitionIds: string[],
    send: () => Promise<string>,
  ): Promise<void> {
    const before = await Promise.all(competitionIds.map((id) => snapshotState(podium.store, id)));
    const outcome = await beyondRateLimit(async () => ({ code: await send() })).then((a) => a.code);
    counts.cells += 1;
    expect({ caller: caller.name, outcome }).toEqual({ caller: caller.name, outcome: expected });
    if (allowed) {
      counts.allowed += 1;
      return;
    }
    const after = await Promise.all(competitionIds.map((id) => snapshotState(podium.store, id)));
    expect(after, `${caller.name}: a refused write changed nothing`).toEqual(before);
  }

  const commandNames = Object.keys(commandSchemas) as CommandName[];

  it.each(commandNames)('%s: only the allowed callers succeed', async (name) => {
    const allowed = ALLOWED[name];
    for (const caller of inOrder(allowed, CALLERS)) {
      const ok = allowed.includes(caller.name);
      await checkCell(caller, ok, ok ? 'ok' : caller.refusal(name), [seeded.competitionId], () =>
        sendCommand(caller, name),
      );
    }
  });

  interface HttpAction {
    name: string;
    path: () => string;
    call: HttpCall;
    /** Competitions a refused attempt must leave as they were. */
    watched: () => string[];
  }

  const csv = '参赛号,姓名,单位,地区,赛项\r\nZ9,New Person,East Works,East,Welding\r\n';
  const HTTP_ACTIONS: HttpAction[] = [
    {
      name: 'judge code issue',
      path: () => `/api/competitions/${seeded.competitionId}/judges/js/code`,
      call: { method: 'POST' },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'judge codes for printing',
      path: () => `/api/competitions/${seeded.competitionId}/judge-codes`,
      call: { method: 'POST', json: { judgeIds: ['js'] } },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'judge code revoke',
      path: () => `/api/competitions/${seeded.competitionId}/judges/js/code`,
      call: { method: 'DELETE' },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'team leader code issue',
      path: () => `/api/competitions/${seeded.competitionId}/teams/t4/leader-code`,
      call: { method: 'POST' },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'team leader codes for printing',
      path: () => `/api/competitions/${seeded.competitionId}/leader-codes`,
      call: { method: 'POST', json: { teamIds: ['t4'] } },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'team leader code revoke',
      path: () => `/api/competitions/${seeded.competitionId}/teams/t4/leader-code`,
      call: { method: 'DELETE' },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'API key issue',
      path: () => `/api/competitions/${seeded.competitionId}/api-keys`,
      call: { method: 'POST', json: { label: 'Results feed' } },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'API key revoke',
      path: () => `/api/competitions/${seeded.competitionId}/api-keys/${spareKeyId}`,
      call: { method: 'DELETE' },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'webhook register',
      path: () => `/api/competitions/${seeded.competitionId}/webhooks`,
      // Port 9 (discard) on loopback: the dispatcher's attempts fail and stay local.
      call: { method: 'POST', json: { url: 'http://127.0.0.1:9/hook' } },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'CSV import',
      path: () => `/api/competitions/${seeded.competitionId}/import/contestants`,
      call: { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } },
      watched: () => [seeded.competitionId],
    },
    {
      name: 'restore',
      path: () => `/api/competitions/${archiveId}/restore?replace=1`,
      get call(): HttpCall {
        return { method: 'POST', body: archive };
      },
      watched: () => [archiveId],
    },
  ];
  const HTTP_CALLERS = CALLERS.filter((c) => c.channel === 'http');

  it.each(HTTP_ACTIONS.map((a) => [a.name, a] as const))(
    '%s: only an organiser succeeds',
    async (_name, action) => {
      for (const caller of inOrder(['organiser (http)'], HTTP_CALLERS)) {
        const ok = caller.name === 'organiser (http)';
        await checkCell(caller, ok, ok ? 'ok' : caller.refusal('setup.put'), action.watched(), () =>
          viaHttp(action.path(), { ...action.call, ...callFor(caller) }),
        );
      }
    },
  );
});
