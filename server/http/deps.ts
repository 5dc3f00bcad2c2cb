/** What the HTTP API needs from the rest of Podium (see createHttpApi in index.ts). */
import type { Command } from '../../shared/commands.ts';
import type { CommandResult } from '../../shared/events.ts';
import type { AuthServiceImpl } from '../auth/service.ts';
import type { Actor } from '../domain/actor.ts';
import type { ArchiveContent, ReplayReport } from '../domain/restore.ts';
import type { BoardReader } from '../domain/results.ts';
import type { CompetitionSource } from '../gateway/reads.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import type { FeedOptions } from './feedConnections.ts';
import type { WebhookOptions } from './webhooks/options.ts';
import type { VenueStatusSource } from '../venue/statusSource.ts';

/** The part of the domain's ContestService the HTTP API calls. */
export interface CommandExecutor {
  /** Authorise and apply one parsed command for `actor` (throws PodiumError). */
  execute(actor: Actor, command: Command): Promise<CommandResult>;
  /** Replay an archive into the competition's scratch space, verify it and swap it in (throws PodiumError). */
  restore(competitionId: string, replace: boolean, archive: ArchiveContent): Promise<ReplayReport>;
}

/** Commits of this process, so an event feed wakes at once (other nodes' commits are polled). */
export interface ChangeSource {
  /** Call `listener` after every commit; returns the function that stops it. */
  onChange(listener: (change: unknown) => void): () => void;
}

export interface BodyLimits {
  json: number;
  large: number;
  archive: number;
}

export interface HttpDeps {
  /** The domain's ContestService: every write goes through it; results and the event feed read through it. */
  service: CommandExecutor & BoardReader & ChangeSource & Pick<CompetitionSource, 'getSetup' | 'getControl'>;
  /** Credentials, sessions and rate limits. */
  auth: AuthServiceImpl;
  /** Read side: set-ups, control, boards, the log; small records for auth. */
  store: Store;
  logger: Logger;
  /**
   * Where other devices reach Podium, without a trailing slash (config.publicUrl): in judge sign-in
   * links and GET /api/info. A function when it is known only once the server listens (PORT=0).
   */
  publicUrl: string | (() => string);
  /** Only on a venue node (docs/VENUES.md): its link to the hub, for GET /api/venue/status. */
  venueStatus?: VenueStatusSource;
  /** Live spectators of a competition, shown in the public list (from the live layer); 0 when absent. */
  audience?: (competitionId: string) => number;
  /** Event feed keep-alive, polling and connection limits (defaults in feedConnections.ts). */
  feed?: Partial<FeedOptions>;
  /** Webhook retry, polling and lease timings (defaults in webhooks/dispatcher.ts). */
  webhooks?: Partial<WebhookOptions>;
  /** Body size limits in bytes. Defaults: json 256 KiB, large (set-up, CSV) 5 MiB, archive 50 MiB. */
  limits?: Partial<BodyLimits>;
  /** Insight reads per client address and second (routes/insight.ts); default INSIGHT_READS_PER_SECOND. */
  insightReadsPerSecond?: number;
}

/** The public base URL now (see HttpDeps.publicUrl). */
export function publicUrlOf(deps: Pick<HttpDeps, 'publicUrl'>): string {
  return typeof deps.publicUrl === 'function' ? deps.publicUrl() : deps.publicUrl;
}
