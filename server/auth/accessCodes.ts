/**
 * Access codes read off paper: judge codes and team-leader codes work alike. A code is stored only
 * as the SHA-256 of its normalised form (id of the code record, which says whose it is), and each
 * holder's current code is found by "<competitionId>.<holderId>", so issuing a new code or revoking
 * deletes the old one, and every session opened with it ends (sessions keep the code's hash).
 */
import type { Store } from '../store/types.ts';
import { judgeCodeOfRecord, parseRecord } from './records.ts';
import { newJudgeCode, normaliseJudgeCode, sha256 } from './secrets.ts';

/** The two record namespaces of one kind of code (records.ts NS). */
export interface CodeSpaces {
  /** id: sha256(normalised code) → whose code it is. */
  code: string;
  /** id: "<competitionId>.<holderId>" → { codeHash }. */
  of: string;
}

export class AccessCodes {
  constructor(
    private readonly store: Store,
    private readonly spaces: CodeSpaces,
  ) {}

  /** A new code for a holder, replacing (and so ending) any previous one; `record` says whose it is. */
  async issue(competitionId: string, holderId: string, record: object): Promise<string> {
    await this.revoke(competitionId, holderId);
    const code = newJudgeCode();
    const codeHash = sha256(normaliseJudgeCode(code) ?? code);
    await this.store.putRecord(this.spaces.code, codeHash, record);
    await this.store.putRecord(this.spaces.of, `${competitionId}.${holderId}`, { codeHash });
    return code;
  }

  /** Delete a holder's code; true when there was one. */
  async revoke(competitionId: string, holderId: string): Promise<boolean> {
    const key = `${competitionId}.${holderId}`;
    const of = parseRecord(judgeCodeOfRecord, await this.store.getRecord(this.spaces.of, key));
    if (of === null) return false;
    await this.store.deleteRecord(this.spaces.code, of.codeHash);
    await this.store.deleteRecord(this.spaces.of, key);
    return true;
  }

  /** Which of these holders have a valid code now (one record read each). */
  async holders(competitionId: string, holderIds: readonly string[]): Promise<string[]> {
    const held = await Promise.all(
      holderIds.map(async (id) => {
        const of = await this.store.getRecord(this.spaces.of, `${competitionId}.${id}`);
        return parseRecord(judgeCodeOfRecord, of) === null ? null : id;
      }),
    );
    return held.filter((id) => id !== null);
  }

  /** The stored record of a code by its hash (unparsed), or null. */
  async byHash(codeHash: string): Promise<unknown> {
    return this.store.getRecord(this.spaces.code, codeHash);
  }
}

/** A typed code's hash, or null when it cannot be a code; and the account its sign-in limits count on. */
export function codeAttempt(
  typed: string,
  accountPrefix: string,
): { codeHash: string | null; account: string } {
  const code = normaliseJudgeCode(typed);
  // The code's first characters stand for the account: guesses spread over many addresses at
  // one holder's code still count, yet never lock out the right code typed elsewhere.
  const account = `${accountPrefix}:${(code ?? typed).slice(0, 4).toUpperCase()}`;
  return { codeHash: code === null ? null : sha256(code), account };
}
