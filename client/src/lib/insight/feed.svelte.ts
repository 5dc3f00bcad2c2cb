/**
 * The insight of one contestant on one board (GET /api/competitions/:id/insight), fetched on
 * request: when what is asked changes, or when `poke()` says the board moved — throttled by
 * ThrottledRead, so a display costs the server a read every few seconds at most.
 */
import type { InsightAnswer } from '../../../../shared/insight/answer.ts';
import { intParam, pageUrl, param } from '../params.ts';
import { ThrottledRead } from './throttledRead.svelte.ts';

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

/** The insight of the contestant asked about, read again (throttled) on `poke()`. */
export class InsightFeed {
  // The last answer stays on screen while another contestant's loads (`stale`).
  readonly #read = new ThrottledRead<InsightAnswer>({ keepWhileLoading: true });

  get answer(): InsightAnswer | null {
    return this.#read.value;
  }

  /** True while the answer shown is for another contestant than the one asked for (loading). */
  get stale(): boolean {
    return this.#read.stale;
  }

  /** Ask about this contestant (null: nothing). Fetches at once when the question changed. */
  ask(ask: InsightAsk | null): void {
    this.#read.ask(ask === null ? null : insightUrl(ask));
  }

  /** The board changed: fetch again (throttled). */
  poke(): void {
    this.#read.poke();
  }

  stop(): void {
    this.#read.stop();
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
