/** Generating and checking secrets: session tokens, judge codes, API keys, organiser passwords. */
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A session token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** True for something shaped like a token from newToken(), before any lookup. */
export function looksLikeToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}

/** SHA-256 as hex: how high-entropy secrets (tokens, codes, API keys) are stored. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compare two hex digests without leaking where they differ. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** No 0/O, 1/I/L: every character is unambiguous when read off paper. 31^8 ≈ 8.5e11 codes. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** A judge access code, e.g. "K7QM-3XWD": 8 characters in two groups. */
export function newJudgeCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A typed code as stored: upper case, without spaces or dashes; null when it cannot be a code. */
export function normaliseJudgeCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** An integration API key "pk_<keyId>_<secret>"; the key id is public, the secret is not. */
export function newApiKey(): { keyId: string; key: string; secret: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, key: `pk_${keyId}_${secret}`, secret };
}

/** Split an API key into its id and secret; null when malformed. */
export function parseApiKey(key: string): { keyId: string; secret: string } | null {
  const m = /^pk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(key);
  return m?.[1] !== undefined && m[2] !== undefined ? { keyId: m[1], secret: m[2] } : null;
}

/** A random password for the first organiser: 20 characters from the code alphabet (~99 bits). */
export function newPassword(): string {
  let p = '';
  for (let i = 0; i < 20; i += 1) p += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return p;
}

export interface PasswordHash {
  alg: 'scrypt';
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
}

const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hash a password with scrypt and a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT);
  return { alg: 'scrypt', salt: salt.toString('base64'), hash: hash.toString('base64'), ...SCRYPT };
}

/** Check a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(stored.salt, 'base64'), {
    N: stored.N,
    r: stored.r,
    p: stored.p,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
