/**
 * What the event feed says about one log entry, as one audience may see it: the current state of
 * every object the entry changed (CLICS semantics — the latest line about an object is its
 * state). Visibility comes from the board snapshot (results.ts → ContestService.boardSnapshot):
 * freeze and embargo are applied there, never re-implemented here.
 */
import type { RankedRow } from '../../shared/boards.ts';
import type { FeedLine } from '../../shared/feed.ts';
import type { Competition } from '../../shared/model.ts';
import type { BoardInfo } from '../../shared/results.ts';
import type { Store } from '../store/types.ts';
import { boardsOfSetup } from './boardList.ts';
import { hasOverall, individualBoards, OVERALL } from './projection.ts';
import { boardResults, visibleBoard, type BoardReader } from './results.ts';
import { publicCompetition } from './views.ts';
import { standingHidden } from './visibility.ts';
import { sheetCommandNames } from './sheetOps.ts';

/** Where feed lines are read from. */
export interface FeedSource {
  reader: BoardReader;
  store: Pick<Store, 'rankOf' | 'getSheet'>;
  audience: 'public' | 'staff';
}

const SHEET_COMMANDS: ReadonlySet<string> = new Set(sheetCommandNames);
/** Control commands that change whole boards as the public sees them (or their finality). */
const BOARD_VIEW_COMMANDS = new Set(['board.freeze', 'board.reveal', 'round.finalize', 'event.embargo']);

/** The board rows one contestant's sheet in a round feeds (a subset of the set-up's boards). */
export function rowsTouched(
  setup: Competition,
  eventId: string,
  roundId: string,
  contestantId: string,
): Array<{ board: string; rowId: string }> {
  const event = setup.events.find((e) => e.id === eventId);
  const contestant = setup.contestants.find((c) => c.id === contestantId && c.eventId === eventId);
  const round = event?.rounds.find((r) => r.id === roundId);
  if (event === undefined || contestant === undefined || round === undefined) return [];
  const rounds = hasOverall(event) && round.weight !== undefined ? [roundId, OVERALL] : [roundId];
  const out: Array<{ board: string; rowId: string }> = [];
  for (const r of rounds) {
    for (const board of individualBoards(setup, eventId, r, contestant))
      out.push({ board, rowId: contestant.id });
    if (event.scoring.teamStanding && contestant.teamId !== undefined) {
      out.push({ board: `${eventId}|${r}|team`, rowId: contestant.teamId });
    }
    if (event.scoring.organisationStanding) {
      out.push({ board: `${eventId}|${r}|organisation`, rowId: contestant.organisation });
    }
  }
  const known = new Set(boardsOfSetup(setup).map((b) => b.board));
  return out.filter((t) => known.has(t.board));
}

/** The row as the audience sees it now (null when it is not on the board they see). */
async function visibleRow(
  source: FeedSource,
  competitionId: string,
  board: string,
  rowId: string,
): Promise<RankedRow | null> {
  if (source.audience === 'public') {
    const head = await source.reader.boardSnapshot(competitionId, board, 'public', { limit: 0 });
    if (head.frozen) {
      const { rows } = await visibleBoard(source.reader, competitionId, board, 'public');
      return rows.find((r) => r.id === rowId) ?? null;
    }
  }
  return source.store.rankOf(competitionId, board, rowId);
}

/** `boards` lines for some boards of the set-up. */
async function boardLines(source: FeedSource, setup: Competition, boards: BoardInfo[]): Promise<FeedLine[]> {
  const lines: FeedLine[] = [];
  for (const info of boards) {
    const { ok: _ok, ...data } = await boardResults(
      source.reader,
      source.store,
      setup,
      info,
      source.audience,
    );
    lines.push({ type: 'boards', id: info.board, data, token: null });
  }
  return lines;
}

/** The whole current state: contest, state, then every board. */
export async function stateLines(source: FeedSource, setup: Competition): Promise<FeedLine[]> {
  const boards = boardsOfSetup(setup);
  const control = await source.reader.getControl(setup.id);
  return [
    {
      type: 'contest',
      id: null,
      data: { ...publicCompetition(setup, control.draws), scoreboard_type: 'score', boards },
      token: null,
    },
    { type: 'state', id: null, data: control, token: null },
    ...(await boardLines(source, setup, boards)),
  ];
}

function field(payload: unknown, name: string): string | undefined {
  if (typeof payload !== 'object' || payload === null || !Object.hasOwn(payload, name)) return undefined;
  const value = (payload as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The lines for one log entry (without tokens); [] when the entry changes nothing visible. */
export async function entryLines(
  source: FeedSource,
  setup: Competition,
  entry: { type: string; payload: unknown },
): Promise<FeedLine[]> {
  const eventId = field(entry.payload, 'eventId');
  // A confirmed decode puts names on the contest (and shows team and organisation boards): all of it again.
  if (entry.type === 'setup.put' || entry.type === 'draw.confirm') return stateLines(source, setup);
  if (
    entry.type === 'round.state' ||
    entry.type === 'display.set' ||
    entry.type === 'draw.make' ||
    entry.type === 'draw.decode'
  ) {
    return [{ type: 'state', id: null, data: await source.reader.getControl(setup.id), token: null }];
  }
  if (BOARD_VIEW_COMMANDS.has(entry.type) && eventId !== undefined) {
    const state: FeedLine = {
      type: 'state',
      id: null,
      data: await source.reader.getControl(setup.id),
      token: null,
    };
    const boards = boardsOfSetup(setup).filter((b) => b.eventId === eventId);
    return [state, ...(await boardLines(source, setup, boards))];
  }
  const roundId = field(entry.payload, 'roundId');
  const contestantId = field(entry.payload, 'contestantId');
  if (
    !SHEET_COMMANDS.has(entry.type) ||
    eventId === undefined ||
    roundId === undefined ||
    contestantId === undefined
  ) {
    return [];
  }
  const control = await source.reader.getControl(setup.id);
  if (source.audience === 'public' && control.embargoed.includes(eventId)) {
    return [];
  }
  const lines: FeedLine[] = [];
  for (const { board, rowId } of rowsTouched(setup, eventId, roundId, contestantId)) {
    // A team's or organisation's row of an anonymised event says who scored: not before the decode.
    if (standingHidden(setup, board, control.draws)) continue;
    const row = await visibleRow(source, setup.id, board, rowId);
    lines.push({ type: 'rows', id: `${board}/${rowId}`, data: { board, rowId, row }, token: null });
  }
  return lines;
}
