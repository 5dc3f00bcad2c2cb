/**
 * Is this page served by a venue node (docs/VENUES.md)? GET /api/info says so (`venueNode`); only
 * there is GET /api/venue/status read: its link to the hub (up/down, last contact, marks waiting)
 * and the hub's overall places of the venue's contestants with their age. At the hub nothing is
 * polled (the route does not exist there: 404).
 */
import type { OverallPlace } from '../../../shared/venueLink.ts';
import type { VenueNodeStatus } from '../../../shared/venueStatus.ts';
import { serverInfo } from './serverInfo.ts';

/** How often screens and consoles on a venue node re-read the link (ms). */
export const NODE_POLL_MS = 2_000;

export class NodeLink {
  /** The node's link; null at the hub or before the first answer. */
  status = $state.raw<VenueNodeStatus | null>(null);
  /** True once the first answer (or a 404) came: whether this is a node is known. */
  checked = $state(false);

  /** Poll until stopped (the returned function stops it); stops by itself at the hub. */
  start(): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (): Promise<void> => {
      try {
        const response = await fetch('/api/venue/status', { headers: { accept: 'application/json' } });
        if (response.status === 404) {
          // Read the answer to its end: an unread body keeps the request open in the browser.
          await response.body?.cancel();
          this.status = null;
          this.checked = true;
          return;
        }
        if (response.ok) this.status = (await response.json()) as VenueNodeStatus;
      } catch {
        // This server did not answer: keep the last status (the page's own indicator says offline).
      }
      this.checked = true;
      if (!stopped) timer = setTimeout(() => void read(), NODE_POLL_MS);
    };
    void serverInfo().then((info) => {
      if (stopped) return;
      if (info.venueNode) void read();
      else this.checked = true;
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** True on a venue node that knows its venue. */
  get isNode(): boolean {
    return (this.status?.venueId ?? null) !== null;
  }
}

/** Overall rank of a contestant beside the venue's: its place on the event-wide board. */
export interface OverallRank {
  rank: number | null;
  /** Rows on the event-wide board. */
  of: number;
}

/** The hub's places on one event-wide board, by contestant. */
export function placesOn(places: readonly OverallPlace[], board: string): ReadonlyMap<string, OverallRank> {
  // A fresh map per answer, never changed afterwards: nothing reactive is needed inside it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  return new Map(
    places.filter((p) => p.board === board).map((p) => [p.contestantId, { rank: p.rank, of: p.of }]),
  );
}
