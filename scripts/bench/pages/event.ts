/**
 * The event-size competition for bench:pages, built through the organiser's HTTP API as a real
 * organiser would: 1,000 contestants in the measured event (100 organisations, 31 regions, teams of
 * three, seven judges, trimmed mean) plus 200 in a second event, so the console holds 1,200 rows
 * and 401 teams.
 */
import type { CompetitionInput } from '../../../shared/model.ts';

export const PAGES_EVENT = 'weld';
export const PAGES_ROUND = 'r1';
export const PAGES_JUDGES = ['j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7'] as const;
export const CRITERIA = [
  { id: 'quality', label: '焊缝质量', max: 50, step: 0.5 },
  { id: 'safety', label: '安全规范', max: 30, step: 0.5 },
  { id: 'speed', label: '操作效率', max: 20, step: 0.5 },
] as const;

const REGIONS = Array.from({ length: 31 }, (_, i) => `地区${String(i + 1).padStart(2, '0')}`);
const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '赵', '黄', '周', '吴', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '洋', '静', '磊', '敏', '强', '杰', '婷', '慕容雪', '晓东'];

/** Contestant id of the i-th contestant of the measured event (c0001 …). */
export const pagesContestantId = (i: number): string => `c${String(i + 1).padStart(4, '0')}`;
/** Bib of the i-th contestant of the measured event (A0001 …). */
export const pagesBib = (i: number): string => `A${String(i + 1).padStart(4, '0')}`;

/** The set-up: `contestants` in the measured event, `extra` more in a second event. */
export function pagesCompetition(id: string, contestants: number, extra: number): CompetitionInput {
  const people = (count: number, eventId: string, prefix: string, offset: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: prefix === 'A' ? pagesContestantId(i) : `x${String(i + 1).padStart(4, '0')}`,
      eventId,
      bib: prefix === 'A' ? pagesBib(i) : `${prefix}${String(i + 1).padStart(4, '0')}`,
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7 + offset) % GIVEN.length]}${i % 50 === 0 ? '·阿依古丽' : ''}`,
      organisation: `第${((i + offset) % 100) + 1}职业技术学院`,
      region: REGIONS[(i + offset) % REGIONS.length] ?? '',
      teamId: `${prefix}t${Math.floor(i / 3) + 1}`,
    }));
  const teamCount = (n: number) => Math.ceil(n / 3);
  return {
    id,
    name: '2026 全国职业技能大赛 · 焊工决赛（千人规模）',
    events: [
      {
        id: PAGES_EVENT,
        name: '焊工',
        criteria: CRITERIA.map((c) => ({ ...c })),
        scoring: {
          aggregation: { kind: 'trimmed', trim: 1 },
          decimals: 2,
          teamStanding: { method: 'sum', bestN: 3 },
          organisationStanding: { method: 'mean', bestN: 3 },
          medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
          blind: false,
        },
        rounds: [{ id: PAGES_ROUND, name: '实操考核', kind: 'final', mode: 'onsite' }],
      },
      {
        id: 'turn',
        name: '车工',
        criteria: CRITERIA.map((c) => ({ ...c })),
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: PAGES_ROUND, name: '实操考核', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [...people(contestants, PAGES_EVENT, 'A', 0), ...people(extra, 'turn', 'B', 13)],
    teams: [
      ...Array.from({ length: teamCount(contestants) }, (_, i) => ({
        id: `At${i + 1}`,
        name: `焊工代表队 ${i + 1}`,
      })),
      ...Array.from({ length: teamCount(extra) }, (_, i) => ({
        id: `Bt${i + 1}`,
        name: `车工代表队 ${i + 1}`,
      })),
    ],
    judges: PAGES_JUDGES.map((jid, i) => ({
      id: jid,
      name: `评委${i + 1}`,
      role: i === 6 ? ('chief' as const) : ('judge' as const),
      eventIds: [PAGES_EVENT],
    })),
  };
}

/** The organiser's HTTP API of one Podium. */
export class OrganiserApi {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  /** Sign in as the organiser through POST /api/auth/organiser. */
  static async signIn(base: string, user: string, password: string): Promise<OrganiserApi> {
    const res = await fetch(`${base}/api/auth/organiser`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password }),
    });
    const body = (await res.json()) as { token?: string; message?: string };
    if (!res.ok || body.token === undefined)
      throw new Error(`organiser sign-in failed: ${body.message ?? res.status}`);
    return new OrganiserApi(base, body.token);
  }

  /** One API call; throws with the server's message on a non-2xx answer. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T & { message?: string };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.message ?? ''}`);
    return json;
  }

  /** Put the set-up, open the round, and return one judge access code per judge. */
  async build(competitionId: string, contestants: number, extra: number): Promise<Record<string, string>> {
    await this.call('PUT', `/competitions/${competitionId}/setup`, {
      competition: pagesCompetition(competitionId, contestants, extra),
    });
    await this.call('POST', `/competitions/${competitionId}/commands/round.state`, {
      opId: crypto.randomUUID(),
      competitionId,
      eventId: PAGES_EVENT,
      roundId: PAGES_ROUND,
      state: 'open',
    });
    const codes: Record<string, string> = {};
    for (const judge of PAGES_JUDGES) {
      codes[judge] = (
        await this.call<{ code: string }>('POST', `/competitions/${competitionId}/judges/${judge}/code`)
      ).code;
    }
    return codes;
  }
}
