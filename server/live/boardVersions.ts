/**
 * The last board version a node has seen, per board, to check that per-commit changes arrive
 * without holes: a hole (a lost pub/sub message) must become a 'board:reset', never a delta that
 * claims to cover versions it does not contain.
 */

/** How a per-commit change relates to what was seen before on its board. */
export type Arrival = 'next' | 'stale' | 'gap';

export class BoardVersions {
  private readonly last = new Map<string, number>();

  /** Classify the change `prev` → `version` of board `key` and remember its version. */
  arrive(key: string, prev: number, version: number): Arrival {
    const last = this.last.get(key);
    if (last !== undefined && version <= last) return 'stale';
    this.last.set(key, version);
    return last === undefined || prev === last ? 'next' : 'gap';
  }

  /** True (and the board counted as caught up) when the store's `current` is past what was seen. */
  overtaken(key: string, current: number): boolean {
    const last = this.last.get(key);
    if (last === undefined || current <= last) return false;
    this.last.set(key, current);
    return true;
  }

  /** Stop checking `key` until its next change (its viewers re-snapshot anyway). */
  forget(key: string): void {
    this.last.delete(key);
  }

  /** The boards seen so far. */
  keys(): string[] {
    return [...this.last.keys()];
  }
}
