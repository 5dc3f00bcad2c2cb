/**
 * What the pages read about venues (docs/VENUES.md, docs/API.md "Venue link"): every venue's link
 * as the hub's organiser console shows it, a venue node's own link for its screens and console,
 * and the venue commands the hub refused (for the organiser and the venue's chief judge).
 */
import type { Venue } from './model.ts';
import type { ForwardedEntry, OverallPlace } from './venueLink.ts';

/** A venue's link as the hub knows it (from the venue's calls). */
export interface VenueLinkState {
  venueId: string;
  /** Hub time of the venue's last call (ms since the epoch), null when it never called. */
  lastContact: number | null;
  /** Whether the venue was heard from within LINK_UP_MS (10 s). */
  linkUp: boolean;
  /** Judges signed in at the venue, as the venue last reported. */
  judgesOnline: number;
  /** Judge commands accepted at the venue and not yet at the hub, as of the last contact. */
  waiting: number;
  /** The venue log id of the last entry the hub answered. */
  cursor: string | null;
  /** Venue commands the hub refused (each in the audit log as `venue.refused`). */
  refused: number;
}

/** GET /api/competitions/:id/venues: one row per venue of the set-up. */
export type VenueOverview = Venue & Partial<VenueLinkState> & { hasKey: boolean };

export interface VenuesResponse {
  ok: true;
  competitionId: string;
  venues: VenueOverview[];
}

/** A venue command the hub refused, as the hub recorded it. */
export interface RefusalRecord {
  competitionId: string;
  venueId: string;
  opId: string;
  actor: string;
  type: string;
  /** The contestant the command was about, when it names one. */
  contestantId?: string;
  code: string;
  message: string;
  venueHlc: string;
  hubHlc: string;
  at: number;
}

/** GET /api/competitions/:id/venue-refusals (organiser: all venues; a venue's chief judge: theirs). */
export interface RefusalsResponse {
  ok: true;
  refusals: RefusalRecord[];
}

/** A venue node's link, GET /api/venue/status on the node. */
export interface VenueNodeStatus {
  competitionId: string | null;
  venueId: string | null;
  linkUp: boolean;
  /** Hub time of the last answer (ms since the epoch). */
  lastContact: number | null;
  /** Judge commands accepted here and not yet answered by the hub. */
  waiting: number;
  forwarded: number;
  refused: number;
  /** Full resyncs from the hub's archive. */
  resyncs: number;
  /** Times the node took the hub's stages in without a resync (a stage change at the hub). */
  stagesTaken: number;
  /** True when the last cycle found nothing waiting and the venue's digest equal to the hub's. */
  inSync: boolean;
  /** The venue's contestants on the event-wide boards, as of the hub's answer at `asOf`. */
  overall: { places: OverallPlace[]; asOf: number } | null;
}

/** A venue command the hub refused, as the venue node keeps it (GET /api/venue/refusals). */
export interface VenueRefusal extends ForwardedEntry {
  code: string;
  message: string;
  at: number;
}

export interface NodeRefusalsResponse {
  ok: true;
  refusals: VenueRefusal[];
}

/** The contestant a forwarded sheet command names, if any. */
export function contestantOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const id = (payload as { contestantId?: unknown }).contestantId;
  return typeof id === 'string' ? id : undefined;
}
