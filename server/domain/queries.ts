/**
 * Reads for the transports, each checked against who asks (visibility.ts): public facts of a
 * competition, control state, board pages per audience, stages and judges' worklists.
 */
import { parseBoardKey, type BoardRef } from '../../shared/boards.ts';
import type {
  BoardSnapshot,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  StageState,
} from '../../shared/events.ts';
import type { Competition, ContestEvent } from '../../shared/model.ts';
import { own } from '../../shared/records.ts';
import type { Store } from '../store/types.ts';
import type { Actor } from './actor.ts';
import { allRows, boardVersion, PAGE, type ContestCache } from './competitionCache.ts';
import {
  isOnStage,
  parseControl,
  stageKey,
  stagesOfEvent,
  type ControlState,
  type Freeze,
  type OnStage,
} from './control.ts';
import { ceremonyBoard } from './controlOps.ts';
import { PodiumError } from './errors.ts';
import { findEvent, findRound } from './policy.ts';
import { frozenView, judgeLine, publicCompetition, revealPlan, stageView } from './views.ts';
import {
  publicBoardView,
  publicView,
  requireAssigned,
  requireJudge,
  requireOrganiser,
  type PublicView,
} from './visibility.ts';

export class ContestQueries {
  constructor(
    private readonly store: Store,
    private readonly cache: ContestCache,
  ) {}

  /** The competition's set-up (cached, checked against the store's version), or null. */
  getSetup(competitionId: string): Promise<Competition | null> {
    return this.cache.currentSetup(competitionId);
  }

  /** The full set-up, for an organiser; 'forbidden' for anyone else, 'not_found' when there is none. */
  async getCompetition(actor: Actor, competitionId: string): Promise<Competition> {
    requireOrganiser(actor);
    return this.existingSetup(competitionId);
  }

  /** Public facts of a competition, or null when it does not exist. */
  async getPublicCompetition(competitionId: string): Promise<PublicCompetition | null> {
    const setup = await this.getSetup(competitionId);
    if (setup === null) return null;
    return publicCompetition(setup, (await this.freshControl(competitionId)).draws);
  }

  /** The control state as screens see it (read fresh from the store). */
  async getControl(competitionId: string): Promise<PublicControl> {
    return (await this.publicView(competitionId)).control;
  }

  /** What the public may see now: control read fresh, so a freeze committed on another node counts. */
  async publicView(competitionId: string): Promise<PublicView> {
    const [setup, control] = await Promise.all([
      this.getSetup(competitionId),
      this.freshControl(competitionId),
    ]);
    return publicView(competitionId, control, setup);
  }

  async freshControl(competitionId: string): Promise<ControlState> {
    return parseControl((await this.store.getControl(competitionId)).value);
  }

  /**
   * A page of a board. Staff see the live ranking. The public sees, during a freeze, the frozen
   * rows with the revealed bottom part live (see views.frozenView); for an embargoed event the
   * public gets an empty snapshot (rows [] and total 0) rather than an error, so a screen can show
   * "results withheld" — PublicControl.embargoed says why.
   */
  async boardSnapshot(
    competitionId: string,
    board: string,
    audience: 'public' | 'staff',
    page: { offset?: number; limit?: number } = {},
  ): Promise<BoardSnapshot> {
    const ref = parseBoardKey(board);
    const setup = await this.getSetup(competitionId);
    if (ref === null || setup === null || !setup.events.some((e) => e.id === ref.eventId)) {
      throw new PodiumError('not_found', `board ${board} does not exist`);
    }
    const offset = Math.max(0, page.offset ?? 0);
    const limit = Math.max(0, Math.min(page.limit ?? PAGE, PAGE));
    const version = await boardVersion(this.store, competitionId, board);
    const control = audience === 'public' ? await this.freshControl(competitionId) : null;
    const base = { competitionId, board, version };
    const view = control === null ? ({ kind: 'live' } as const) : publicBoardView(control, board, setup);
    if (view.kind === 'withheld') return { ...base, rows: [], total: 0, frozen: false };
    if (control !== null && view.kind === 'frozen') {
      const { freeze } = view;
      const live = await allRows(this.store, competitionId, board);
      if (ref.scope !== 'individual' && (await this.ceremonyDone(competitionId, control, ref, freeze))) {
        // Team and organisation rows follow the contestants: live once every result is revealed.
        const rows = live.slice(offset, offset + limit);
        return { ...base, rows, total: live.length, frozen: true };
      }
      const shown = frozenView(freeze, board, live);
      const reveal = revealPlan(freeze, board, live, shown);
      return {
        ...base,
        rows: shown.slice(offset, offset + limit),
        total: shown.length,
        frozen: true,
        reveal,
      };
    }
    const [rows, total] = await Promise.all([
      this.store.top(competitionId, board, offset, limit),
      this.store.boardSize(competitionId, board),
    ]);
    return { ...base, rows, total, frozen: false };
  }

  /** Who is on an event's stage (the event-wide one, or a venue's) and how far the judges are. */
  async stageState(competitionId: string, eventId: string, venueId?: string): Promise<StageState> {
    const setup = await this.existingSetup(competitionId);
    const event = findEvent(setup, eventId);
    const control = await this.freshControl(competitionId);
    const onStage = own(control.stage, stageKey(eventId, venueId)) ?? {
      roundId: event.rounds[0]?.id ?? '',
      contestantId: null,
    };
    return this.stageOf(competitionId, setup, event, onStage, venueId);
  }

  /**
   * Every stage of a competition: per event the event-wide one (nobody on it when never set), then
   * each venue's stage that was ever set, in the order they last changed (docs/VENUES.md).
   */
  async stageStates(competitionId: string): Promise<StageState[]> {
    const setup = await this.existingSetup(competitionId);
    const control = await this.freshControl(competitionId);
    const all = setup.events.flatMap((event) => {
      const stages = stagesOfEvent(control, event.id);
      const venues = stages
        .filter((s) => s.venueId !== undefined)
        .sort((a, b) => (a.onStage.seq ?? 0) - (b.onStage.seq ?? 0));
      const plain = stages.find((s) => s.venueId === undefined) ?? {
        onStage: { roundId: event.rounds[0]?.id ?? '', contestantId: null },
      };
      return [plain, ...venues].map((s) => ({ event, ...s }));
    });
    return Promise.all(
      all.map(({ event, onStage, venueId }) => this.stageOf(competitionId, setup, event, onStage, venueId)),
    );
  }

  private async stageOf(
    competitionId: string,
    setup: Competition,
    event: ContestEvent,
    { roundId, contestantId }: OnStage,
    venueId: string | undefined,
  ): Promise<StageState> {
    const sheet =
      contestantId === null
        ? null
        : (await this.store.getSheet(competitionId, { eventId: event.id, roundId, contestantId })).value;
    return stageView(competitionId, setup, event, roundId, contestantId, sheet, venueId);
  }

  /** A judge's worklist for one round of an event: their own marks, others' once unblinded. */
  async judgeSheets(actor: Actor, eventId: string, roundId: string): Promise<JudgeSheetLine[]> {
    const judge = requireJudge(actor, 'judges only (organisers: organiserSheets)');
    return this.worklist(judge.competitionId, eventId, roundId, judge.judgeId);
  }

  /** Every sheet line of a round as an organiser sees it. */
  async organiserSheets(
    actor: Actor,
    competitionId: string,
    eventId: string,
    roundId: string,
  ): Promise<JudgeSheetLine[]> {
    requireOrganiser(actor);
    return this.worklist(competitionId, eventId, roundId, null);
  }

  private async worklist(
    competitionId: string,
    eventId: string,
    roundId: string,
    judgeId: string | null,
  ): Promise<JudgeSheetLine[]> {
    const setup = await this.existingSetup(competitionId);
    const event = findEvent(setup, eventId);
    findRound(event, roundId);
    if (judgeId !== null) requireAssigned(setup, judgeId, eventId);
    const control = await this.freshControl(competitionId);
    // A judge of a venue sees "on stage" by their venue's stage (and the event-wide one).
    const judgeVenue = judgeId === null ? undefined : setup.judges.find((j) => j.id === judgeId)?.venueId;
    const contestants = setup.contestants.filter((c) => c.eventId === eventId);
    return Promise.all(
      contestants.map(async (c) => {
        const key = { eventId, roundId, contestantId: c.id };
        const sheet = (await this.store.getSheet(competitionId, key)).value;
        const staged = isOnStage(control, key, c.venueId, judgeVenue);
        return judgeLine(setup, event, key, sheet, judgeId, staged);
      }),
    );
  }

  /** True when the reveal of the round a board belongs to has nothing left to show. */
  private async ceremonyDone(
    competitionId: string,
    control: ControlState,
    ref: BoardRef,
    freeze: Freeze,
  ): Promise<boolean> {
    const key = Object.entries(control.freezes).find(([, f]) => f === freeze)?.[0];
    const roundId = key?.split('|')[1] ?? ref.roundId;
    const board = ceremonyBoard(ref.eventId, roundId);
    return revealPlan(freeze, board, await allRows(this.store, competitionId, board)).next === null;
  }

  private async existingSetup(competitionId: string): Promise<Competition> {
    const setup = await this.getSetup(competitionId);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    return setup;
  }
}
