/**
 * The team leader page's HTTP calls (docs/API.md, "Team leaders"): sign in with the team's code,
 * read the team's page, file an appeal. The session token is kept in localStorage on the phone.
 */
import type { LeaderSession, LeaderView } from '../../../shared/leader.ts';
import { randomId } from '../lib/ids.ts';

const STORAGE_KEY = 'podium.leader.session';

export interface StoredLeaderSession extends LeaderSession {
  token: string;
}

/** A refused request: the server's error code (or 'network') and message. */
export class LeaderApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LeaderApiError';
  }
}

async function request<T>(
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<T> {
  const headers = new Headers({ accept: 'application/json' });
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  } catch (error) {
    throw new LeaderApiError('network', error instanceof Error ? error.message : String(error));
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; code?: string; message?: string };
  if (!response.ok || body.ok !== true)
    throw new LeaderApiError(body.code ?? (response.status >= 500 ? 'network' : 'error'), body.message ?? '');
  return body as T;
}

/** Exchange the team's code for a session and remember it on this phone. */
export async function signIn(code: string): Promise<StoredLeaderSession> {
  const body = await request<StoredLeaderSession>('/auth/leader', {
    method: 'POST',
    json: { code: code.trim() },
  });
  const session = { token: body.token, competitionId: body.competitionId, team: body.team };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

/** The session remembered on this phone, if any. */
export function loadSession(): StoredLeaderSession | null {
  try {
    const parsed = JSON.parse(
      localStorage.getItem(STORAGE_KEY) ?? 'null',
    ) as Partial<StoredLeaderSession> | null;
    return typeof parsed?.token === 'string' &&
      typeof parsed.competitionId === 'string' &&
      parsed.team !== undefined
      ? (parsed as StoredLeaderSession)
      : null;
  } catch {
    return null;
  }
}

/** Forget the session (signed out, or the code was revoked). */
export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** End the session on the server too (best effort) and forget it here. */
export async function signOut(session: StoredLeaderSession): Promise<void> {
  clearSession();
  await request('/auth/signout', { method: 'POST', token: session.token }).catch(() => undefined);
}

/** The team's contestants, deadlines and appeals. */
export function readView(session: StoredLeaderSession): Promise<LeaderView> {
  return request<LeaderView>(`/competitions/${encodeURIComponent(session.competitionId)}/leader`, {
    token: session.token,
  });
}

export interface AppealDraft {
  eventId: string;
  roundId: string;
  contestantId: string;
  grounds: string;
}

/** File an appeal for one of the team's contestants (`appeal.file`). */
export async function fileAppeal(session: StoredLeaderSession, draft: AppealDraft): Promise<void> {
  await request(`/competitions/${encodeURIComponent(session.competitionId)}/commands/appeal.file`, {
    method: 'POST',
    token: session.token,
    json: { ...draft, opId: randomId(), appealId: `appeal-${randomId().slice(0, 8)}` },
  });
}
