/**
 * A watched competition: its public set-up, live control (rounds, freezes, embargoes), who is on
 * stage in each event, and the live audience count. Re-watches after every reconnect.
 */
import type {
  PublicCompetition,
  PublicContestant,
  PublicControl,
  StageState,
} from '../../../shared/events.ts';
import { stageFor, stagesFrom, withStage, type StageMap } from '../../../shared/stages.ts';
import { shownName } from './drawLabel.ts';
import { indexById } from './delta.ts';
import { ACK_TIMEOUT_MS, type AdminSocket, type PublicSocket } from './socket.ts';

export type CompetitionStatus = 'loading' | 'ready' | 'error';

export class LiveCompetition {
  competition = $state.raw<PublicCompetition | null>(null);
  control = $state.raw<PublicControl | null>(null);
  /**
   * Every stage (who performs now and the judges' progress) by key — the event's id, or
   * `eventId@venueId` for a venue's — in the order they last changed; pages read `stage()`.
   */
  stages = $state.raw<StageMap>({});
  audience = $state<number | null>(null);
  status = $state<CompetitionStatus>('loading');
  /** Server error code when status is 'error' (e.g. 'not_found'). */
  error = $state<string | null>(null);

  /** Contestant id → contestant, rebuilt when the set-up changes. */
  contestants = $derived(indexById<PublicContestant>(this.competition?.contestants ?? []));
  /** Team id → team. */
  teams = $derived(indexById(this.competition?.teams ?? []));

  // /admin's competition:watch and live events have the same shape (a full Competition is a superset).
  readonly #socket: PublicSocket;
  #stopped = true;

  constructor(
    socket: PublicSocket | AdminSocket,
    readonly competitionId: string,
  ) {
    this.#socket = socket as PublicSocket;
  }

  /** Start watching; returns a stop function (usable as an $effect cleanup). */
  start(): () => void {
    this.#stopped = false;
    this.#socket.on('connect', this.#watch);
    this.#socket.on('stage:update', this.#onStage);
    this.#socket.on('control:update', this.#onControl);
    this.#socket.on('audience', this.#onAudience);
    if (this.#socket.connected) this.#watch();
    return () => this.stop();
  }

  /** Stop listening to this competition's live events. */
  stop(): void {
    this.#stopped = true;
    this.#socket.off('connect', this.#watch);
    this.#socket.off('stage:update', this.#onStage);
    this.#socket.off('control:update', this.#onControl);
    this.#socket.off('audience', this.#onAudience);
  }

  /** Display name of a board row id for a scope: contestant name, team name or organisation. */
  rowName(scope: 'individual' | 'team' | 'organisation', id: string): string {
    if (scope === 'individual') return shownName(this.contestants.get(id), id);
    if (scope === 'team') return this.teams.get(id)?.name ?? id;
    return id; // organisation rows are keyed by the organisation's name
  }

  /** The stage a page shows for an event: a venue's with `venueId`, else the event-wide pick (shared/stages.ts). */
  stage(eventId: string, venueId?: string | null): StageState | null {
    return stageFor(this.stages, eventId, venueId);
  }

  /** The round's live state ('pending' when unknown). */
  roundState(eventId: string, roundId: string): 'pending' | 'open' | 'closed' | 'finalized' {
    return this.control?.rounds[`${eventId}|${roundId}`] ?? 'pending';
  }

  /** The freeze of a round, if its public view is frozen: how many rows are revealed from the bottom. */
  freezeOf(eventId: string, roundId: string): { revealed: number } | null {
    return this.control?.frozen[`${eventId}|${roundId}`] ?? null;
  }

  #watch = (): void => {
    this.#socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('competition:watch', { competitionId: this.competitionId }, (err, ack) => {
        if (this.#stopped) return;
        if (err !== null) {
          setTimeout(() => {
            if (!this.#stopped && this.#socket.connected) this.#watch();
          }, 2_000);
          return;
        }
        if (!ack.ok) {
          this.status = 'error';
          this.error = ack.code;
          return;
        }
        this.competition = ack.competition;
        this.control = ack.control;
        this.stages = stagesFrom(ack.stages);
        this.status = 'ready';
        this.error = null;
      });
  };

  #onStage = (stage: StageState): void => {
    if (stage.competitionId !== this.competitionId) return;
    this.stages = withStage(this.stages, stage);
  };

  #onControl = (control: PublicControl): void => {
    if (control.competitionId !== this.competitionId) return;
    // A draw or a decode changes how contestants are shown: fetch the competition's facts again.
    const redrawn = JSON.stringify(control.draws ?? {}) !== JSON.stringify(this.control?.draws ?? {});
    this.control = control;
    if (redrawn) this.#watch();
  };

  #onAudience = (update: { competitionId: string; count: number }): void => {
    if (update.competitionId === this.competitionId) this.audience = update.count;
  };
}
