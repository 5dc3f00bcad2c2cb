/**
 * AuthServiceImpl: organiser credentials and sessions, judge and team-leader access codes and
 * their sessions, integration API keys, and the rate limits around them. Secrets are never logged and never
 * stored in clear (see records.ts).
 */
import type { JudgeSession } from '../../shared/events.ts';
import { actorLabel, writeLimitKey, type Actor } from '../domain/actor.ts';
import { PodiumError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import type { LeaderSession } from '../../shared/leader.ts';
import { AccessCodes, codeAttempt } from './accessCodes.ts';
import {
  apiKeyRecord,
  judgeCodeRecord,
  leaderCodeRecord,
  NS,
  organiserRecord,
  parseRecord,
  sessionRecord,
  type SessionRecord,
} from './records.ts';
import { RateLimits, type RateLimitSettings } from './rate-limits.ts';
import {
  hashPassword,
  looksLikeToken,
  newApiKey,
  newPassword,
  newToken,
  parseApiKey,
  sameDigest,
  sha256,
  verifyPassword,
  type PasswordHash,
} from './secrets.ts';
import type { AuthService } from './types.ts';

export interface AuthDeps {
  store: Store;
  logger: Logger;
  /** The limits to enforce (Cluster.rateLimits: shared by every node with Redis); in memory when absent. */
  limits?: RateLimits;
  /** Settings of the in-memory limits made when `limits` is absent. */
  rateLimits?: Partial<RateLimitSettings>;
  /** Session lifetime; default 24 h. */
  sessionTtlSeconds?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface SignedIn {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface IssuedApiKey {
  keyId: string;
  /** Shown once; only its hash is kept. */
  key: string;
  label: string;
  createdAt: number;
}

export interface ApiKeyInfo {
  keyId: string;
  label: string;
  createdAt: number;
  createdBy: string;
}

const DAY = 24 * 60 * 60;
const USER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Hashed when the user name is unknown, so a wrong name costs as long as a wrong password. */
let dummyHash: Promise<PasswordHash> | undefined;

export class AuthServiceImpl implements AuthService {
  readonly limits: RateLimits;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly judgeCodes: AccessCodes;
  private readonly leaderCodes: AccessCodes;

  constructor(deps: AuthDeps) {
    this.store = deps.store;
    this.judgeCodes = new AccessCodes(deps.store, { code: NS.judgeCode, of: NS.judgeCodeOf });
    this.leaderCodes = new AccessCodes(deps.store, { code: NS.leaderCode, of: NS.leaderCodeOf });
    this.logger = deps.logger;
    this.ttl = deps.sessionTtlSeconds ?? DAY;
    this.now = deps.now ?? Date.now;
    this.limits = deps.limits ?? new RateLimits(undefined, deps.rateLimits);
  }

  /**
   * Make sure an organiser can sign in. With `password` (PODIUM_ADMIN_PASSWORD) the account is
   * (re)set to it. Without, a first start creates the account with a random password and
   * returns it so the caller can print it once; later starts return null.
   */
  async ensureOrganiser(
    user = 'admin',
    password?: string,
  ): Promise<{ user: string; password: string } | null> {
    if (!USER_NAME.test(user)) throw new Error('PODIUM_ADMIN_USER: 1-64 letters, digits, ".", "_" or "-"');
    if (password !== undefined && password.length > 0) {
      if (password.length < 10) throw new Error('PODIUM_ADMIN_PASSWORD: at least 10 characters');
      await this.setOrganiserPassword(user, password);
      return null;
    }
    if (parseRecord(organiserRecord, await this.store.getRecord(NS.organiser, user)) !== null) return null;
    const generated = newPassword();
    await this.setOrganiserPassword(user, generated);
    this.logger.warn({ user }, 'created the organiser account with a generated password');
    return { user, password: generated };
  }

  /** Store (replace) an organiser's password as a scrypt hash. */
  async setOrganiserPassword(user: string, password: string): Promise<void> {
    await this.store.putRecord(NS.organiser, user, {
      password: await hashPassword(password),
      updatedAt: this.now(),
    });
  }

  /** Organiser sign-in: a session token, or 'unauthorized' / 'rate_limited'. */
  async signInOrganiser(user: string, password: string, ip: string): Promise<SignedIn> {
    const account = `organiser:${user.slice(0, 64)}`;
    await this.limits.signIn.before(ip, account);
    const record = USER_NAME.test(user)
      ? parseRecord(organiserRecord, await this.store.getRecord(NS.organiser, user))
      : null;
    const ok = record !== null && (await verifyPassword(password, record.password));
    if (record === null) await verifyPassword(password, await (dummyHash ??= hashPassword('dummy')));
    if (!ok) {
      await this.limits.signIn.failed(ip, account);
      this.logger.info({ user, ip }, 'organiser sign-in refused');
      throw new PodiumError('unauthorized', 'wrong user name or password');
    }
    await this.limits.signIn.succeeded(ip, account);
    return this.openSession({
      actor: { kind: 'organiser', id: user },
      expiresAt: this.now() + this.ttl * 1000,
    });
  }

  /** Issue a new access code for a judge (replacing, and so ending, any previous one). */
  async issueJudgeCode(competitionId: string, judgeId: string): Promise<{ code: string }> {
    await this.requireJudge(competitionId, judgeId);
    const code = await this.judgeCodes.issue(competitionId, judgeId, {
      competitionId,
      judgeId,
      issuedAt: this.now(),
    });
    this.logger.info({ competitionId, judgeId }, 'judge code issued');
    return { code };
  }

  /** Revoke a judge's code; every session opened with it ends at once. True when there was one. */
  async revokeJudgeCode(competitionId: string, judgeId: string): Promise<boolean> {
    const revoked = await this.judgeCodes.revoke(competitionId, judgeId);
    if (revoked) this.logger.info({ competitionId, judgeId }, 'judge code revoked');
    return revoked;
  }

  /** Which of these judges hold a valid access code now (one record read per judge). */
  async judgesWithCodes(competitionId: string, judgeIds: readonly string[]): Promise<string[]> {
    return this.judgeCodes.holders(competitionId, judgeIds);
  }

  /** Judge sign-in with an access code: a session token and who the judge is. */
  async signInJudge(typedCode: string, ip: string): Promise<SignedIn & JudgeSession> {
    const { codeHash, account } = codeAttempt(typedCode, 'code');
    await this.limits.signIn.before(ip, account);
    const record =
      codeHash === null ? null : parseRecord(judgeCodeRecord, await this.judgeCodes.byHash(codeHash));
    const judge = record === null ? undefined : await this.findJudge(record.competitionId, record.judgeId);
    if (record === null || codeHash === null || judge === undefined) {
      await this.limits.signIn.failed(ip, account);
      this.logger.info({ ip }, 'judge sign-in refused');
      throw new PodiumError('unauthorized', 'unknown or revoked access code');
    }
    await this.limits.signIn.succeeded(ip, account);
    const session = await this.openSession({
      actor: { kind: 'judge', judgeId: judge.id, competitionId: record.competitionId, role: judge.role },
      codeHash,
      expiresAt: this.now() + this.ttl * 1000,
    });
    this.logger.info({ competitionId: record.competitionId, judgeId: judge.id }, 'judge signed in');
    return {
      ...session,
      competitionId: record.competitionId,
      judge: {
        id: judge.id,
        name: judge.name,
        role: judge.role,
        eventIds: [...judge.eventIds],
        ...(judge.venueId === undefined ? {} : { venueId: judge.venueId }),
      },
    };
  }

  /** Issue a team's leader code (领队码), replacing and so ending any previous one. */
  async issueLeaderCode(competitionId: string, teamId: string): Promise<{ code: string }> {
    if ((await this.findTeam(competitionId, teamId)) === undefined)
      throw new PodiumError('not_found', `no team ${teamId} in competition ${competitionId}`);
    const code = await this.leaderCodes.issue(competitionId, teamId, {
      competitionId,
      teamId,
      issuedAt: this.now(),
    });
    this.logger.info({ competitionId, teamId }, 'team leader code issued');
    return { code };
  }

  /** Revoke a team's leader code; its sessions end at once. True when there was one. */
  async revokeLeaderCode(competitionId: string, teamId: string): Promise<boolean> {
    const revoked = await this.leaderCodes.revoke(competitionId, teamId);
    if (revoked) this.logger.info({ competitionId, teamId }, 'team leader code revoked');
    return revoked;
  }

  /** Which of these teams hold a valid leader code now. */
  async teamsWithLeaderCodes(competitionId: string, teamIds: readonly string[]): Promise<string[]> {
    return this.leaderCodes.holders(competitionId, teamIds);
  }

  /** Team-leader sign-in with the team's code: a session token and which team it is. */
  async signInLeader(typedCode: string, ip: string): Promise<SignedIn & LeaderSession> {
    const { codeHash, account } = codeAttempt(typedCode, 'leader');
    await this.limits.signIn.before(ip, account);
    const record =
      codeHash === null ? null : parseRecord(leaderCodeRecord, await this.leaderCodes.byHash(codeHash));
    const team = record === null ? undefined : await this.findTeam(record.competitionId, record.teamId);
    if (record === null || codeHash === null || team === undefined) {
      await this.limits.signIn.failed(ip, account);
      this.logger.info({ ip }, 'team leader sign-in refused');
      throw new PodiumError('unauthorized', 'unknown or revoked team leader code');
    }
    await this.limits.signIn.succeeded(ip, account);
    const session = await this.openSession({
      actor: { kind: 'leader', teamId: team.id, competitionId: record.competitionId },
      codeHash,
      expiresAt: this.now() + this.ttl * 1000,
    });
    this.logger.info({ competitionId: record.competitionId, teamId: team.id }, 'team leader signed in');
    return { ...session, competitionId: record.competitionId, team: { id: team.id, name: team.name } };
  }

  /** The actor a session token stands for, or null when unknown, expired or revoked. */
  async actorForToken(token: string): Promise<Actor | null> {
    if (!looksLikeToken(token)) return null;
    const session = parseRecord(sessionRecord, await this.store.getRecord(NS.session, sha256(token)));
    if (session === null || session.expiresAt <= this.now()) return null;
    const actor = session.actor;
    if (actor.kind === 'organiser') return { kind: 'organiser', id: actor.id };
    // A code-based session stands only while its code does (revoking or reissuing ends it).
    if (session.codeHash === undefined) return null;
    if (actor.kind === 'leader') {
      const code = parseRecord(leaderCodeRecord, await this.leaderCodes.byHash(session.codeHash));
      if (code === null || code.teamId !== actor.teamId || code.competitionId !== actor.competitionId)
        return null;
      return { kind: 'leader', teamId: actor.teamId, competitionId: actor.competitionId };
    }
    const code = parseRecord(judgeCodeRecord, await this.judgeCodes.byHash(session.codeHash));
    if (code === null || code.judgeId !== actor.judgeId || code.competitionId !== actor.competitionId)
      return null;
    return { kind: 'judge', judgeId: actor.judgeId, competitionId: actor.competitionId, role: actor.role };
  }

  /** End a session (sign-out). */
  async signOut(token: string): Promise<void> {
    if (looksLikeToken(token)) await this.store.deleteRecord(NS.session, sha256(token));
  }

  /** Issue an integration API key for one competition. The key is returned once. */
  async issueApiKey(competitionId: string, label: string, by: Actor): Promise<IssuedApiKey> {
    const { keyId, key, secret } = newApiKey();
    const createdAt = this.now();
    await this.store.putRecord(NS.apiKey, keyId, {
      competitionId,
      label,
      secretHash: sha256(secret),
      createdAt,
      createdBy: actorLabel(by),
    });
    this.logger.info({ competitionId, keyId }, 'API key issued');
    return { keyId, key, label, createdAt };
  }

  /** The API keys of a competition (never their secrets). */
  async listApiKeys(competitionId: string): Promise<ApiKeyInfo[]> {
    const keys: ApiKeyInfo[] = [];
    for (const { id, value } of await this.store.listRecords(NS.apiKey)) {
      const r = parseRecord(apiKeyRecord, value);
      if (r !== null && r.competitionId === competitionId) {
        keys.push({ keyId: id, label: r.label, createdAt: r.createdAt, createdBy: r.createdBy });
      }
    }
    return keys.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Revoke an API key of a competition; true when it existed. */
  async revokeApiKey(competitionId: string, keyId: string): Promise<boolean> {
    const r = parseRecord(apiKeyRecord, await this.store.getRecord(NS.apiKey, keyId));
    if (r === null || r.competitionId !== competitionId) return false;
    this.logger.info({ competitionId, keyId }, 'API key revoked');
    return this.store.deleteRecord(NS.apiKey, keyId);
  }

  /** The integration actor of an API key, or null when unknown or revoked. */
  async actorForApiKey(key: string): Promise<Actor | null> {
    const parsed = parseApiKey(key);
    if (parsed === null) return null;
    const r = parseRecord(apiKeyRecord, await this.store.getRecord(NS.apiKey, parsed.keyId));
    if (r === null || !sameDigest(r.secretHash, sha256(parsed.secret))) return null;
    return { kind: 'integration', keyId: parsed.keyId, competitionId: r.competitionId };
  }

  /** Count one write by `actor`; throws RateLimitedError (code 'rate_limited') over the limit. */
  async consumeWrite(actor: Actor): Promise<void> {
    await this.limits.write(writeLimitKey(actor));
  }

  private async openSession(record: SessionRecord): Promise<SignedIn> {
    const token = newToken();
    await this.store.putRecord(NS.session, sha256(token), record, this.ttl);
    return { token, expiresAt: record.expiresAt };
  }

  private async findJudge(competitionId: string, judgeId: string) {
    const setup = await this.store.getSetup(competitionId);
    return setup.value?.judges.find((j) => j.id === judgeId);
  }

  private async findTeam(competitionId: string, teamId: string) {
    const setup = await this.store.getSetup(competitionId);
    return setup.value?.teams.find((t) => t.id === teamId);
  }

  private async requireJudge(competitionId: string, judgeId: string): Promise<void> {
    const setup = await this.store.getSetup(competitionId);
    if (setup.value === null) throw new PodiumError('not_found', `no competition ${competitionId}`);
    if (!setup.value.judges.some((j) => j.id === judgeId)) {
      throw new PodiumError('not_found', `no judge ${judgeId} in competition ${competitionId}`);
    }
  }
}
