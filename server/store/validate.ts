/** Argument checks shared by both stores, so both refuse the same bad input with the same message. */
import { assertStorableRow } from './ranking.ts';
import { versionKey, type Commit } from './types.ts';

const NAMESPACE = /^[A-Za-z0-9._-]{1,64}$/;

/** Throws when a commit cannot be stored (bad rank keys, row ids). */
export function assertStorableCommit(commit: Commit): void {
  if (commit.opId.length === 0) throw new Error('Commit opId must not be empty');
  for (const update of commit.boards) {
    if (update.board.length === 0) throw new Error('Board id must not be empty');
    if (update.row !== null) assertStorableRow(update.rowId, update.row);
  }
}

/** Throws unless a record namespace and id are acceptable. */
export function assertRecordKey(ns: string, id: string): void {
  if (!NAMESPACE.test(ns))
    throw new Error(`Record namespace must be 1-64 letters, digits, '.', '_' or '-': "${ns}"`);
  if (id.length === 0 || id.length > 512) throw new Error('Record id must be 1-512 characters');
}

/** Throws unless a record value (JSON, not null) and TTL are acceptable. */
export function assertRecordValue(value: unknown, ttlSeconds: number | undefined): void {
  if (value === null || value === undefined) {
    throw new Error('A record value must be a JSON value other than null (delete the record instead)');
  }
  if (ttlSeconds !== undefined && !(ttlSeconds > 0 && Number.isFinite(ttlSeconds))) {
    throw new Error(`Record TTL must be a positive number of seconds, got ${ttlSeconds}`);
  }
}

/** The bumped version names of a commit, each once, in a stable order. */
export function bumpedVersions(commit: Pick<Commit, 'sheets' | 'boards' | 'setup' | 'control'>): string[] {
  const names = new Set<string>();
  for (const { key } of commit.sheets) names.add(versionKey({ kind: 'sheet', key }));
  for (const { board } of commit.boards) names.add(versionKey({ kind: 'board', board }));
  if (commit.setup !== undefined) names.add('setup');
  if (commit.control !== undefined) names.add('control');
  return [...names];
}
