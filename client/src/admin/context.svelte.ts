/**
 * What every console page shares: the HTTP client, the /admin socket, the chosen competition's
 * set-up, its live control and stages, judges' presence and flagged divergences, and a notice line.
 */
import type { CommandInput, CommandName } from '../../../shared/commands.ts';
import type { CommandResult, JudgePresence } from '../../../shared/events.ts';
import type { Competition } from '../../../shared/model.ts';
import { LiveCompetition } from '../lib/competition.svelte.ts';
import { t } from '../lib/i18n.svelte.ts';
import { connectAdmin, connectionOf, type AdminSocket, type Connection } from '../lib/socket.ts';
import { AdminApi, ApiError, type IssuedCode } from './api.ts';

export interface DivergenceFlag {
  at: number;
  eventId: string;
  roundId: string;
  contestantId: string;
  criterionId: string;
  judgeId: string;
}

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export class AdminContext {
  competitionId = $state<string | null>(null);
  setup = $state.raw<Competition | null>(null);
  setupVersion = $state(0);
  setupError = $state<string | null>(null);
  live = $state.raw<LiveCompetition | null>(null);
  /** eventId → judges' presence, pushed by the server. */
  presence = $state.raw<Record<string, JudgePresence[]>>({});
  divergences = $state.raw<DivergenceFlag[]>([]);
  /** Codes issued in this visit (the server keeps only hashes: they cannot be shown again). */
  issuedCodes = $state.raw<Record<string, IssuedCode>>({});
  notice = $state.raw<Notice | null>(null);
  busy = $state(false);

  readonly api: AdminApi;
  readonly socket: AdminSocket;
  readonly connection: Connection;
  #stopLive: (() => void) | null = null;

  constructor(token: string, onUnauthorized: () => void) {
    this.api = new AdminApi(token, onUnauthorized);
    this.socket = connectAdmin(token);
    this.connection = connectionOf(this.socket);
    this.socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') onUnauthorized();
    });
    this.socket.on('presence:update', (update) => {
      this.presence = { ...this.presence, [update.eventId]: update.judges };
    });
    this.socket.on('divergence', (d) => {
      this.divergences = [{ ...d, at: Date.now() }, ...this.divergences].slice(0, 200);
    });
  }

  /** Switch to a competition (null: none) and load its set-up and live state. */
  async select(competitionId: string | null): Promise<void> {
    this.#stopLive?.();
    this.#stopLive = null;
    this.live = null;
    this.presence = {};
    this.divergences = [];
    this.issuedCodes = {};
    this.competitionId = competitionId;
    this.setup = null;
    if (competitionId === null) return;
    await this.reloadSetup();
  }

  /** Fetch the set-up again (after a save or an import) and re-watch the live state. */
  async reloadSetup(): Promise<void> {
    const id = this.competitionId;
    if (id === null) return;
    try {
      const { competition, version } = await this.api.setup(id);
      if (id !== this.competitionId) return;
      this.setup = competition;
      this.setupVersion = version;
      this.setupError = null;
    } catch (error) {
      this.setupError = messageOf(error);
      return;
    }
    this.#stopLive?.();
    const live = new LiveCompetition(this.socket, id);
    this.#stopLive = live.start();
    this.live = live;
  }

  /** Run a command for the chosen competition; reports success or the server's refusal. */
  async run<N extends CommandName>(
    name: N,
    payload: Omit<CommandInput<N>, 'opId' | 'competitionId'>,
    success?: string,
  ): Promise<CommandResult | null> {
    if (this.competitionId === null) return null;
    this.busy = true;
    try {
      const result = await this.api.command(this.competitionId, name, payload);
      this.notice = { kind: 'ok', text: success ?? t('admin.done') };
      return result;
    } catch (error) {
      this.notice = { kind: 'error', text: messageOf(error) };
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Remember an issued code for the printable sheet. */
  rememberCode(code: IssuedCode): void {
    this.issuedCodes = { ...this.issuedCodes, [code.judgeId]: code };
  }

  forgetCode(judgeId: string): void {
    const { [judgeId]: _gone, ...rest } = this.issuedCodes;
    this.issuedCodes = rest;
  }

  /** Stop everything (sign-out). */
  close(): void {
    this.#stopLive?.();
    this.socket.disconnect();
  }
}

/** A readable message for an error, with the server's error code when there is one. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const known = t(`admin.error.${error.code}`);
    return known === `admin.error.${error.code}` ? error.message : `${known}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
