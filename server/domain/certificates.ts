/**
 * Certificates (获奖证书) that anyone can check: the QR code carries the printed result and an
 * HMAC-SHA256 of it under a server secret. The public check recomputes the HMAC (a forged or
 * altered certificate fails), then compares the printed result with the public board: still the
 * same → valid; corrected since → revoked. Nothing is stored per certificate, so every node (and
 * a reprint) gives the same code; the secret lives in the store, created on first use.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseBoardKey } from '../../shared/boards.ts';
import type { Competition } from '../../shared/model.ts';
import type { Verification } from '../../shared/paper.ts';
import type { ResultRow } from '../../shared/results.ts';
import type { Store } from '../store/types.ts';
import { findBoard, boardsOfSetup } from './boardList.ts';
import { officialStatus } from '../../shared/official.ts';
import { boardResults, type BoardReader } from './results.ts';
import { presentedSetup } from './visibility.ts';

const SECRET_NS = 'paper.secret';
const SECRET_ID = 'certificate-hmac';
const secretRecord = z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/** What a certificate asserts; every field is in its address. */
export interface CertificateClaim {
  competitionId: string;
  board: string;
  contestantId: string;
  rank: number;
  total: string;
  medal: 'gold' | 'silver' | 'bronze' | null;
}

/** The claim in an address's query parameters (short names: the QR code stays small). */
export const claimQuerySchema = z.strictObject({
  c: z.string().min(1).max(64),
  b: z.string().min(1).max(200),
  p: z.string().min(1).max(64),
  k: z.coerce.number().int().min(1).max(1_000_000),
  t: z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/),
  m: z.enum(['gold', 'silver', 'bronze', '-']),
  s: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
});

/** The server's certificate key: read from the store, or created (32 random bytes) on first use. */
export async function certificateKey(store: Pick<Store, 'getRecord' | 'putRecord'>): Promise<Buffer> {
  const stored = secretRecord.safeParse(await store.getRecord(SECRET_NS, SECRET_ID));
  if (stored.success) return Buffer.from(stored.data.key, 'base64url');
  await store.putRecord(SECRET_NS, SECRET_ID, { key: randomBytes(32).toString('base64url') });
  // Two nodes creating it at once: both continue with whichever write landed last.
  const written = secretRecord.parse(await store.getRecord(SECRET_NS, SECRET_ID));
  return Buffer.from(written.key, 'base64url');
}

/** The certificate's code: 128 bits of HMAC-SHA256 over the claim, base64url (22 characters). */
export function signClaim(key: Buffer, claim: CertificateClaim): string {
  const text = JSON.stringify([
    'podium-certificate-v1',
    claim.competitionId,
    claim.board,
    claim.contestantId,
    claim.rank,
    claim.total,
    claim.medal,
  ]);
  return createHmac('sha256', key).update(text, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** The verification address of a claim under `publicUrl`. */
export function verifyUrl(publicUrl: string, claim: CertificateClaim, code: string): string {
  const query = new URLSearchParams({
    c: claim.competitionId,
    b: claim.board,
    p: claim.contestantId,
    k: String(claim.rank),
    t: claim.total,
    m: claim.medal ?? '-',
    s: code,
  });
  return `${publicUrl}/verify/?${query.toString()}`;
}

function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a, 'base64url');
  const y = Buffer.from(b, 'base64url');
  return x.length === y.length && timingSafeEqual(x, y);
}

const INVALID: Verification = { ok: true, verdict: 'invalid', certified: null, current: null, status: null };

/**
 * The public check. The signature is checked before anything is read, so a made-up claim learns
 * nothing (not even whether the competition exists). The result is compared with the PUBLIC board
 * (freeze, embargo applied): while it hides the row, the answer is 'unavailable'.
 */
export async function verifyCertificate(
  reader: BoardReader,
  store: Pick<Store, 'getRecord' | 'putRecord' | 'getSheet'>,
  query: z.infer<typeof claimQuerySchema>,
): Promise<Verification> {
  const claim: CertificateClaim = {
    competitionId: query.c,
    board: query.b,
    contestantId: query.p,
    rank: query.k,
    total: query.t,
    medal: query.m === '-' ? null : query.m,
  };
  if (!sameCode(signClaim(await certificateKey(store), claim), query.s)) return INVALID;
  const setup = await reader.getSetup(claim.competitionId);
  const info = setup === null ? null : findBoard(boardsOfSetup(setup), claim.board);
  const ref = parseBoardKey(claim.board);
  if (setup === null || info === null || ref === null) return revokedWithout(setup, claim);
  const results = await boardResults(reader, store, setup, info, 'public');
  const event = setup.events.find((e) => e.id === info.eventId);
  const control = await reader.getControl(setup.id);
  const status = event === undefined ? null : officialStatus(event, info.roundId, control);
  // A freeze whose reveal has something left hides live results: say nothing about any of them.
  const reveal = results.frozen
    ? (await reader.boardSnapshot(setup.id, info.board, 'public', { limit: 1 })).reveal
    : undefined;
  const revealing =
    reveal !== undefined && (reveal.next !== null || reveal.pending.length > 0 || reveal.hidden.length > 0);
  const stillHidden = results.embargoed || revealing;
  const row = results.rows.find((r) => r.id === claim.contestantId);
  // The name only where visibility.ts allows it (an anonymised event shows the drawn number until decoded).
  const contestant = presentedSetup(setup, control.draws).contestants.find(
    (c) => c.id === claim.contestantId,
  );
  const certified = {
    competitionName: setup.name,
    boardName: info.name,
    name:
      contestant === undefined
        ? claim.contestantId
        : contestant.draw === undefined
          ? contestant.name
          : `No. ${contestant.draw}`,
    organisation: contestant?.organisation ?? '',
    rank: claim.rank,
    total: claim.total,
    medal: claim.medal,
  };
  if (stillHidden) {
    return { ok: true, verdict: 'unavailable', certified: null, current: null, status: null };
  }
  if (row === undefined) return { ok: true, verdict: 'revoked', certified, current: null, status };
  const current = { rank: row.rank, total: row.total, outcome: row.outcome, medal: row.medal };
  return { ok: true, verdict: holds(row, claim) ? 'valid' : 'revoked', certified, current, status };
}

/** A signed certificate whose competition or board no longer exists: revoked. */
function revokedWithout(setup: Competition | null, claim: CertificateClaim): Verification {
  return {
    ok: true,
    verdict: 'revoked',
    certified: {
      competitionName: setup?.name ?? claim.competitionId,
      boardName: claim.board,
      name: nameWithout(setup, claim.contestantId),
      organisation: '',
      rank: claim.rank,
      total: claim.total,
      medal: claim.medal,
    },
    current: null,
    status: null,
  };
}

/** The name of a revoked certificate's contestant; never for an anonymised event (its decode is unknown here). */
function nameWithout(setup: Competition | null, contestantId: string): string {
  const c = setup?.contestants.find((x) => x.id === contestantId);
  const event = setup?.events.find((e) => e.id === c?.eventId);
  return c === undefined || event?.anonymised === true ? contestantId : c.name;
}

/** The public row still says what the certificate says. */
function holds(row: ResultRow, claim: CertificateClaim): boolean {
  return (
    row.outcome === 'ok' && row.rank === claim.rank && row.total === claim.total && row.medal === claim.medal
  );
}
