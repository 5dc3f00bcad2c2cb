/**
 * Every Redis key Podium uses (docs/STORAGE.md explains each). All keys of one competition carry
 * the hash tag `{<competitionId>}` so they live in one Cluster slot and one Lua script may touch
 * them all atomically.
 */

import { isScratchId, SCRATCH_SUFFIX } from '../types.ts';

/** The keys of one competition (or of its scratch space, see types.ts scratchId). */
export class CompetitionKeys {
  readonly prefix: string;

  constructor(readonly competitionId: string) {
    if (competitionId.length === 0 || /[{}]/.test(competitionId)) {
      throw new Error(`Competition id must be non-empty and contain no braces: "${competitionId}"`);
    }
    // A restore's scratch space shares the competition's hash tag, so promoting it is one script.
    this.prefix = isScratchId(competitionId)
      ? `podium:{${competitionId.slice(0, -SCRATCH_SUFFIX.length)}}:restore:`
      : `podium:{${competitionId}}:`;
  }

  /** Hash: version name ("sheet:e|r|c", "board:<id>", "setup", "control") → integer. */
  get versions(): string {
    return `${this.prefix}versions`;
  }
  /** Hash: "eventId|roundId|contestantId" → Sheet JSON. */
  get sheets(): string {
    return `${this.prefix}sheets`;
  }
  /** String: Competition JSON. */
  get setup(): string {
    return `${this.prefix}setup`;
  }
  /** String: Control JSON. */
  get control(): string {
    return `${this.prefix}control`;
  }
  /** Stream: the log; each entry has one field "entry" holding the LogEntry JSON without its id. */
  get log(): string {
    return `${this.prefix}log`;
  }
  /** Set: ids of the boards that have at least one row. */
  get boards(): string {
    return `${this.prefix}boards`;
  }
  /** Sorted set: members "<rankKey>!<rowId>", all scores 0. */
  board(boardId: string): string {
    return `${this.prefix}board:${boardId}`;
  }
  /** Hash: rowId → BoardRow JSON. */
  rows(boardId: string): string {
    return `${this.prefix}rows:${boardId}`;
  }
  /** Hash {logId, result, actor}: the first outcome of an operation id and who wrote it; expires after IDEMPOTENCY_SECONDS. */
  op(opId: string): string {
    return `${this.prefix}op:${opId}`;
  }
  /** Pub/sub channel (not a key): one message per commit that touches boards, see changes.ts. */
  get changes(): string {
    return `${this.prefix}changes`;
  }
  /** SCAN pattern matching every op key of this competition. */
  get opPattern(): string {
    return `${escapeGlob(this.prefix)}op:*`;
  }
}

/** Set: ids of every competition that was given a setup (filtered by whether the setup still exists). */
export const COMPETITIONS_KEY = 'podium:competitions';

/** String: the stored-data format of everything under `podium:` (server/store/format.ts). */
export const FORMAT_KEY = 'podium:format';

/** String with a TTL: held by the node that migrates the stored data to a new format. */
export const MIGRATION_LOCK_KEY = 'podium:format:migrating';

/** How long a committed opId is remembered, so a retried write is recognised as a duplicate. */
export const IDEMPOTENCY_SECONDS = 7 * 24 * 3600;

/** String: one small record's JSON (namespace in a hash tag so the record and its index share a slot). */
export function recordKey(ns: string, id: string): string {
  return `podium:rec:{${ns}}:${id}`;
}

/** Set: ids of the records of a namespace (may hold ids of expired records until listed). */
export function recordIndexKey(ns: string): string {
  return `podium:rec:{${ns}}`;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
