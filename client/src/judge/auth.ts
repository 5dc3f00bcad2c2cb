/**
 * Judge sign-in: an access code (typed, or from the QR link `/judge/#code=XXXX`) becomes a session
 * token kept in localStorage with the judge's identity, so the tablet can show the worklist and the
 * outbox before the server answers.
 */
import type { JudgeSession } from '../../../shared/events.ts';

const STORAGE_KEY = 'podium.judge.session';

export interface StoredSession extends JudgeSession {
  token: string;
}

export type SignInError = 'bad_code' | 'network' | 'rate_limited';

export class SignInFailure extends Error {
  constructor(readonly reason: SignInError) {
    super(reason);
    this.name = 'SignInFailure';
  }
}

/** Exchange an access code for a session; throws SignInFailure. */
export async function signInWithCode(code: string): Promise<StoredSession> {
  let response: Response;
  try {
    response = await fetch('/api/auth/judge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.trim() }),
    });
  } catch {
    throw new SignInFailure('network');
  }
  if (response.status === 429) throw new SignInFailure('rate_limited');
  if (response.status >= 500) throw new SignInFailure('network');
  if (!response.ok) throw new SignInFailure('bad_code');
  const body = (await response.json()) as Partial<StoredSession>;
  if (typeof body.token !== 'string' || body.judge === undefined || typeof body.competitionId !== 'string') {
    throw new SignInFailure('network');
  }
  const session: StoredSession = { token: body.token, judge: body.judge, competitionId: body.competitionId };
  saveSession(session);
  return session;
}

// Shared with the team leader page, whose QR links carry a code the same way.
export { clearCodeFromUrl, codeFromHash } from '../lib/codeLink.ts';

/** The session remembered on this tablet, if any. */
export function loadSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    return typeof parsed.token === 'string' &&
      parsed.judge !== undefined &&
      typeof parsed.competitionId === 'string'
      ? (parsed as StoredSession)
      : null;
  } catch {
    return null;
  }
}

/** Remember the session on this tablet. */
export function saveSession(session: StoredSession): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

/** Forget the session (sign-out or refused token); the outbox is kept. */
export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}
