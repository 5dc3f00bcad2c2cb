/** The newest log id of a competition, found by reading the append-only log forward. */
import type { Store } from '../store/types.ts';

const MAX_REMEMBERED = 1_000;

/**
 * Finds the newest log id, scanning forward from the last head this process saw (log ids only
 * grow, also across a delete and restore), so repeated calls read only the new entries.
 */
export class LogHeads {
  private readonly known = new Map<string, string>();

  constructor(private readonly store: Pick<Store, 'readLog'>) {}

  /** The id of the competition's newest log entry, or undefined for an empty log. */
  async head(competitionId: string): Promise<string | undefined> {
    let head = this.known.get(competitionId);
    for (;;) {
      const page = await this.store.readLog(competitionId, head, 1000);
      if (page.length === 0) break;
      head = page[page.length - 1]?.id ?? head;
    }
    if (head !== undefined) {
      if (this.known.size >= MAX_REMEMBERED && !this.known.has(competitionId)) this.known.clear();
      this.known.set(competitionId, head);
    }
    return head;
  }
}
