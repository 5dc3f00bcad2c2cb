/**
 * The organiser's HTTP client: sign-in, set-up, commands, judge and team-leader codes, CSV import, exports.
 * Every answer is `{ ok: true, … }` or `{ ok: false, code, message, errors? }` (see server/http).
 */
import type { CommandInput, CommandName } from '../../../shared/commands.ts';
import type { CommandResult, CompetitionSummary, ErrorCode } from '../../../shared/events.ts';
import type { Competition, CompetitionInput, Contestant, Judge, Team } from '../../../shared/model.ts';
import { randomId } from '../lib/ids.ts';

const TOKEN_KEY = 'podium.admin.token';

/** A per-row problem of a CSV import; line 1 is the header. Show `code` translated, not `message`. */
export interface RowError {
  line: number;
  field: string;
  /** The column header as the file wrote it. */
  column?: string;
  code?: string;
  params?: Record<string, string | number>;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
    readonly status: number,
    readonly rowErrors: RowError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface IssuedCode {
  judgeId: string;
  name: string;
  role: 'judge' | 'chief';
  code: string;
  url: string;
  /** SVG QR code as a data: URL (render with <img>). */
  qr: string;
}

/** A team leader's code as issued (docs/API.md, "Team leaders"): shown once, like a judge's. */
export interface IssuedLeaderCode {
  teamId: string;
  name: string;
  code: string;
  url: string;
  /** SVG QR code as a data: URL (render with <img>). */
  qr: string;
}

export type ImportKind = 'contestants' | 'judges';

export type ImportPreview =
  { kind: 'contestants'; contestants: Contestant[]; newTeams: Team[] } | { kind: 'judges'; judges: Judge[] };

/** The token remembered in this browser, if any. */
export function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Remember (or forget, with null) the organiser's token. */
export function storeToken(token: string | null): void {
  if (token === null) localStorage.removeItem(TOKEN_KEY);
  else localStorage.setItem(TOKEN_KEY, token);
}

export class AdminApi {
  constructor(
    readonly token: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  /** GET /api/competitions */
  async competitions(): Promise<CompetitionSummary[]> {
    return (await this.call<{ competitions: CompetitionSummary[] }>('GET', '/competitions')).competitions;
  }

  /** The full set-up with its store version. */
  async setup(competitionId: string): Promise<{ competition: Competition; version: number }> {
    return this.call('GET', `/competitions/${enc(competitionId)}/setup`);
  }

  /** Create or replace a competition's set-up. */
  async putSetup(competition: CompetitionInput): Promise<CommandResult> {
    return this.call('PUT', `/competitions/${enc(competition.id)}/setup`, {
      opId: randomId(),
      competition,
    });
  }

  /** Run one command; a fresh opId is added when the payload has none. */
  async command<N extends CommandName>(
    competitionId: string,
    name: N,
    payload: Omit<CommandInput<N>, 'opId' | 'competitionId'>,
  ): Promise<CommandResult> {
    return this.call('POST', `/competitions/${enc(competitionId)}/commands/${name}`, {
      opId: randomId(),
      competitionId,
      ...payload,
    });
  }

  /** Issue (or re-issue, ending the old one) a judge's access code. */
  async issueCode(competitionId: string, judgeId: string): Promise<IssuedCode> {
    return this.call('POST', `/competitions/${enc(competitionId)}/judges/${enc(judgeId)}/code`);
  }

  /** Ids of the judges who hold a valid code now (the codes themselves are never shown again). */
  async activeCodes(competitionId: string): Promise<string[]> {
    return (await this.call<{ active: string[] }>('GET', `/competitions/${enc(competitionId)}/judge-codes`))
      .active;
  }

  /** Issue new codes for several judges (all when judgeIds is omitted). */
  async issueCodes(competitionId: string, judgeIds?: string[]): Promise<IssuedCode[]> {
    const body = judgeIds === undefined ? {} : { judgeIds };
    return (
      await this.call<{ codes: IssuedCode[] }>(
        'POST',
        `/competitions/${enc(competitionId)}/judge-codes`,
        body,
      )
    ).codes;
  }

  /** Revoke a judge's code: their sessions end at once. */
  async revokeCode(competitionId: string, judgeId: string): Promise<boolean> {
    return (
      await this.call<{ revoked: boolean }>(
        'DELETE',
        `/competitions/${enc(competitionId)}/judges/${enc(judgeId)}/code`,
      )
    ).revoked;
  }

  /** Issue (or re-issue, ending the old one) a team's leader code. */
  async issueLeaderCode(competitionId: string, teamId: string): Promise<IssuedLeaderCode> {
    return this.call('POST', `/competitions/${enc(competitionId)}/teams/${enc(teamId)}/leader-code`);
  }

  /** Ids of the teams whose leader holds a valid code now. */
  async activeLeaderCodes(competitionId: string): Promise<string[]> {
    return (await this.call<{ active: string[] }>('GET', `/competitions/${enc(competitionId)}/leader-codes`))
      .active;
  }

  /** Issue new leader codes for every team. */
  async issueLeaderCodes(competitionId: string): Promise<IssuedLeaderCode[]> {
    return (
      await this.call<{ codes: IssuedLeaderCode[] }>(
        'POST',
        `/competitions/${enc(competitionId)}/leader-codes`,
        {},
      )
    ).codes;
  }

  /** Revoke a team's leader code: the leader's sessions end at once. */
  async revokeLeaderCode(competitionId: string, teamId: string): Promise<boolean> {
    return (
      await this.call<{ revoked: boolean }>(
        'DELETE',
        `/competitions/${enc(competitionId)}/teams/${enc(teamId)}/leader-code`,
      )
    ).revoked;
  }

  /** Upload a CSV; with dryRun nothing is stored. Row problems arrive as ApiError.rowErrors. */
  async importCsv(
    competitionId: string,
    kind: ImportKind,
    csv: string,
    dryRun: boolean,
  ): Promise<ImportPreview> {
    const path = `/competitions/${enc(competitionId)}/import/${kind}${dryRun ? '?dryRun=1' : ''}`;
    const body = await this.call<Record<string, unknown>>('POST', path, csv, 'text/csv; charset=utf-8');
    return { kind, ...body } as ImportPreview;
  }

  /** Download a file the server produces (exports) with the organiser's token. */
  async download(path: string): Promise<Blob> {
    const response = await this.fetch('GET', path);
    if (!response.ok) await this.fail(response);
    return response.blob();
  }

  /** A GET of any organiser route, parsed as JSON. */
  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  private async call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const response = await this.fetch(method, path, body, contentType);
    if (!response.ok) await this.fail(response);
    return (await response.json()) as T;
  }

  private async fetch(method: string, path: string, body?: unknown, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = contentType ?? 'application/json';
      payload = typeof body === 'string' && contentType !== undefined ? body : JSON.stringify(body);
    }
    try {
      return await fetch(`/api${path}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
      });
    } catch (error) {
      throw new ApiError('network', error instanceof Error ? error.message : String(error), 0);
    }
  }

  private async fail(response: Response): Promise<never> {
    const body = (await response.json().catch(() => null)) as {
      code?: ErrorCode;
      message?: string;
      errors?: RowError[];
    } | null;
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(
      body?.code ?? 'internal',
      body?.message ?? `HTTP ${response.status}`,
      response.status,
      body?.errors ?? [],
    );
  }
}

/** Organiser sign-in: user and password → session token. */
export async function signInOrganiser(user: string, password: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch('/api/auth/organiser', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password }),
    });
  } catch (error) {
    throw new ApiError('network', error instanceof Error ? error.message : String(error), 0);
  }
  const body = (await response.json().catch(() => null)) as {
    token?: string;
    code?: ErrorCode;
    message?: string;
  } | null;
  if (!response.ok || typeof body?.token !== 'string') {
    throw new ApiError(
      body?.code ?? 'unauthorized',
      body?.message ?? `HTTP ${response.status}`,
      response.status,
    );
  }
  return body.token;
}

function enc(id: string): string {
  return encodeURIComponent(id);
}
