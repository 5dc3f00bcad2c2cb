/** What a venue node's own routes (nodeRoutes.ts) read from it. */
import type { VenueNodeStatus, VenueRefusal } from '../../shared/venueStatus.ts';

export interface VenueStatusSource {
  status(): VenueNodeStatus;
  refusals(): Promise<VenueRefusal[]>;
}
