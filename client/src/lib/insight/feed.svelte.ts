/**
 * The insight of one contestant on one board (GET /api/competitions/:id/insight), fetched on
 * request: when what is asked changes, or when `poke()` says the board moved — at most once every
 * MIN_GAP_MS, with one trailing fetch, so a display costs the server a read every few seconds at most.
 */
import type { InsightAnswer } from '../../../../shared/insight/answer.ts';
import { intParam, pageUrl, param } from '../params.ts';

const MIN_GAP_MS = 2_000;

export interface InsightAsk {
  competitionId: string;
  board: string;
  contestantId: string;
  /** A qualification line (rank), or null. */
  line: number | null;
}

export function insightUrl(ask: InsightAsk): string {
  return pageUrl(`/api/competitions/${encodeURIComponent(ask.competitionId)}/insight`, {
    board: ask.board,
    contestant: ask.contestantId,
    line: ask.line,
  });
}

export class InsightFeed {
  answer = $state.raw<InsightAnswer | null>(null);
  /** True while the answer shown is for another contestant than the one asked for (loading). */
  stale = $state(false);
  #ask: InsightAsk | null = null;
  #askKey = '';
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #again = false;

  /** Ask about this contestant (null: nothing). Fetches at once when the question changed. */
  ask(ask: InsightAsk | null): void {
    const key = ask === null ? '' : insightUrl(ask);
    if (key === this.#askKey) return;
    this.#ask = ask;
    this.#askKey = key;
    this.stale = true;
    if (ask === null) {
      this.answer = null;
      return;
    }
    this.#last = 0;
    this.poke();
  }

  /** The board changed: fetch again (throttled). */
  poke(): void {
    if (this.#ask === null) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    const wait = this.#last + MIN_GAP_MS - Date.now();
    if (wait > 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = null;
        this.poke();
      }, wait);
      return;
    }
    void this.#fetch();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#ask = null;
    this.#askKey = '';
  }

  async #fetch(): Promise<void> {
    const key = this.#askKey;
    this.#running = true;
    this.#last = Date.now();
    try {
      const res = await fetch(key, { headers: { accept: 'application/json' } });
      if (res.ok && key === this.#askKey) {
        this.answer = (await res.json()) as InsightAnswer;
        this.stale = false;
      }
    } catch {
      // Offline for a moment: the next board change asks again.
    } finally {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.poke();
      }
    }
  }
}

/**
 * During component set-up: keep an InsightFeed on the contestant `read()` names, fetching again
 * (throttled) whenever `changed()` gives a new value (a board version, the stage's marks).
 */
export function followInsight(read: () => InsightAsk | null, changed: () => unknown): InsightFeed {
  const feed = new InsightFeed();
  $effect(() => feed.ask(read()));
  $effect(() => {
    changed();
    feed.poke();
  });
  $effect(() => () => feed.stop());
  return feed;
}

/** ?insight=1 on a display's address; ?line=<rank> for a qualification line. */
export function insightParams(): { enabled: boolean; line: number | null } {
  const line = intParam('line', 0, 0, 999_999);
  return { enabled: param('insight') === '1', line: line >= 1 ? line : null };
}
