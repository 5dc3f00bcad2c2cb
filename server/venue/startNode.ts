/** Wiring of a venue node into a running Podium (server/main.ts calls these when PODIUM_HUB_URL is set). */
import type { Podium } from '../app.ts';
import type { ContestService } from '../domain/service.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import type { VenueStatusSource } from './nodeRoutes.ts';
import { siteClock } from './siteClock.ts';
import type { VenueLinkConfig } from './venueConfig.ts';
import { VenueNode } from './venueNode.ts';

/** Start the link loop of a venue node. */
export function startVenueNode(
  link: VenueLinkConfig,
  store: Store,
  service: ContestService,
  podium: Podium,
  logger: Logger,
): VenueNode {
  // The hub draws and decodes anonymised events; the node follows its state (docs/VENUES.md).
  service.hubOwnsDraws();
  const node = new VenueNode({
    hubUrl: link.hubUrl,
    key: link.key,
    store,
    service,
    clock: siteClock(),
    logger,
    judgesOnline: () => podium.io.judge.sockets.size,
  });
  node.start();
  logger.info({ hub: link.hubUrl }, 'venue node: linked to the hub');
  return node;
}

/** The venue routes' view of a node started later (the API is built before the node). */
export function venueStatusOf(built: { venue?: VenueNode }): VenueStatusSource {
  return {
    status: () =>
      built.venue?.status() ?? {
        competitionId: null,
        venueId: null,
        linkUp: false,
        lastContact: null,
        waiting: 0,
        forwarded: 0,
        refused: 0,
        resyncs: 0,
        stagesTaken: 0,
        inSync: false,
        overall: null,
      },
    refusals: async () => (await built.venue?.refusals()) ?? [],
  };
}
