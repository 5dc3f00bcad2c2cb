/**
 * Rank over time (issue #16, item 4): every row's rank on one board after each change of the
 * board, rebuilt from the stored log with the rebuild's own replay (rebuild.ts → replayEntry) and
 * the live path's own projection (projection.ts → updatesForSheet), then ranked by the pure
 * shared/insight/rankHistory.ts. Nothing here runs on the live fan-out's path.
 *
 * The public sees the history of the board it sees: while the board is frozen (or its event
 * embargoed) no change is shown — the changes made meanwhile appear only once the public view is
 * live again (as one step at that moment). So a frozen board's history and movers end where the
 * frozen board stands, and reveal nothing it hides.
 */
import { parseBoardKey, type BoardRow } from '../../shared/boards.ts';
import { RankTimeline, type BoardStep, type RankPoint } from '../../shared/insight/rankHistory.ts';
import type { Competition, ContestEvent, Sheet } from '../../shared/model.ts';
import { sheetKeyString, type LogEntry, type SheetKey, type Store } from '../store/types.ts';
import { initialControl } from './control.ts';
import { projectAll, rowRef, sameRow, updatesForSheet } from './projection.ts';
import { replayEntry, type ReplayState } from './rebuild.ts';
import { isSheetCommandName } from './sheetOps.ts';
import { publicBoardView } from './visibility.ts';

const LOG_PAGE = 1000;

export interface BoardHistory {
  /** Every row's points, oldest first. */
  timelines: Map<string, RankPoint[]>;
  /** The caller sees the board frozen now: the history ends at the freeze. */
  frozen: boolean;
  /** The caller sees no rows of this board now (embargo): no history at all. */
  withheld: boolean;
  /** Log entries replayed. */
  entries: number;
}

interface Projection {
  event: ContestEvent | null;
  /** (board, row) → row, every board of the event (standings read members' rows). */
  rows: Map<string, BoardRow | null>;
  /** The event's sheets by sheetKeyString (overall rows read the other rounds' sheets). */
  sheets: Map<string, Sheet>;
  /** The board's rows now. */
  board: Map<string, BoardRow>;
}

/** Reproject the whole board after a set-up change (rows may come or go, rules may change). */
function reproject(
  p: Projection,
  setup: Competition,
  board: string,
  eventId: string,
  state: ReplayState,
): void {
  p.event = setup.events.find((e) => e.id === eventId) ?? null;
  const sheets = [...state.sheets.values()].filter((s) => s.key.eventId === eventId);
  const all = projectAll(setup, sheets);
  p.rows.clear();
  p.board.clear();
  p.sheets = new Map(sheets.map((s) => [sheetKeyString(s.key), s.sheet]));
  for (const [b, rows] of all)
    for (const row of rows.values()) {
      p.rows.set(rowRef(b, row.id), row);
      if (b === board) p.board.set(row.id, row);
    }
}

/** Apply one replayed sheet change of the board's event to the projection; the board's changed row ids. */
function applySheet(p: Projection, setup: Competition, board: string, key: SheetKey, sheet: Sheet): string[] {
  const contestant = setup.contestants.find((c) => c.id === key.contestantId && c.eventId === key.eventId);
  if (p.event === null || contestant === undefined) return [];
  if (!p.event.rounds.some((r) => r.id === key.roundId)) return [];
  p.sheets.set(sheetKeyString(key), sheet);
  const changed: string[] = [];
  for (const u of updatesForSheet(setup, p.event, contestant, key, sheet, p)) {
    p.rows.set(rowRef(u.board, u.rowId), u.row);
    if (u.board !== board) continue;
    if (u.row === null) p.board.delete(u.rowId);
    else p.board.set(u.rowId, u.row);
    changed.push(u.rowId);
  }
  return changed;
}

function sheetKeyOf(entry: LogEntry): SheetKey | null {
  const p = entry.payload as Partial<SheetKey> | null;
  if (p === null || typeof p !== 'object') return null;
  const { eventId, roundId, contestantId } = p;
  return typeof eventId === 'string' && typeof roundId === 'string' && typeof contestantId === 'string'
    ? { eventId, roundId, contestantId }
    : null;
}

/**
 * A board's history as `audience` saw it, folded from the stored log and kept: `catchUp` reads only
 * the entries after the last one it folded, so a server that keeps the fold pays per new entry.
 * Calls are serialised (two reads at once never fold an entry twice).
 */
export class BoardHistoryFold {
  readonly #ref: ReturnType<typeof parseBoardKey>;
  readonly #state: ReplayState = { setup: null, sheets: new Map(), control: initialControl() };
  readonly #p: Projection = { event: null, rows: new Map(), sheets: new Map(), board: new Map() };
  /** The rows the audience was last shown. */
  readonly #shown = new Map<string, BoardRow>();
  readonly #dirty = new Set<string>();
  readonly #timeline: RankTimeline;
  #visibleBefore = true;
  #view: ReturnType<typeof publicBoardView>['kind'] = 'live';
  #entries = 0;
  #after: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly competitionId: string,
    readonly board: string,
    readonly audience: 'public' | 'staff',
    only: ReadonlySet<string> | null = null,
  ) {
    this.#ref = parseBoardKey(board);
    this.#timeline = new RankTimeline(only);
  }

  /** Fold the log entries written since the last call; the history as it stands then. */
  catchUp(store: Pick<Store, 'readLog'>): Promise<BoardHistory> {
    const next = this.#queue.then(() => this.#advance(store));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #advance(store: Pick<Store, 'readLog'>): Promise<BoardHistory> {
    for (;;) {
      const page = await store.readLog(this.competitionId, this.#after, LOG_PAGE);
      for (const entry of page) this.#fold(entry);
      if (page.length > 0) this.#after = page.at(-1)?.id;
      if (page.length < LOG_PAGE) break;
    }
    const withheld = this.#view === 'withheld';
    return {
      timelines: withheld ? new Map() : this.#timeline.timelines,
      frozen: this.#view === 'frozen',
      withheld,
      entries: this.#entries,
    };
  }

  #fold(entry: LogEntry): void {
    const ref = this.#ref;
    if (ref === null) return;
    const p = this.#p;
    this.#entries++;
    try {
      replayEntry(this.#state, entry, this.competitionId);
    } catch {
      return; // what cannot apply changed nothing (the rebuild reports it)
    }
    const setup = this.#state.setup;
    if (setup === null) return;
    if (entry.type === 'setup.put') {
      reproject(p, setup, this.board, ref.eventId, this.#state);
      for (const id of [...p.board.keys(), ...this.#shown.keys()]) this.#dirty.add(id);
    } else if (isSheetCommandName(entry.type)) {
      const key = sheetKeyOf(entry);
      const sheet = key === null ? undefined : this.#state.sheets.get(sheetKeyString(key))?.sheet;
      if (key !== null && sheet !== undefined && key.eventId === ref.eventId)
        for (const id of applySheet(p, setup, this.board, key, sheet)) this.#dirty.add(id);
    }
    this.#view = this.audience === 'staff' ? 'live' : publicBoardView(this.#state.control, this.board).kind;
    if (this.#view !== 'live') {
      this.#visibleBefore = false;
      return;
    }
    if (!this.#visibleBefore)
      for (const id of [...p.board.keys(), ...this.#shown.keys()]) this.#dirty.add(id);
    this.#visibleBefore = true;
    const updates: BoardStep['updates'][number][] = [];
    for (const id of this.#dirty) {
      const row = p.board.get(id) ?? null;
      if (sameRow(this.#shown.get(id) ?? null, row)) continue;
      updates.push({ rowId: id, row });
      if (row === null) this.#shown.delete(id);
      else this.#shown.set(id, row);
    }
    this.#dirty.clear();
    if (updates.length > 0) this.#timeline.apply({ at: entry.at, updates });
  }
}

/** The board's history as `audience` saw it, folded from the whole stored log. */
export function boardHistory(
  store: Pick<Store, 'readLog'>,
  competitionId: string,
  board: string,
  audience: 'public' | 'staff',
  only: ReadonlySet<string> | null = null,
): Promise<BoardHistory> {
  return new BoardHistoryFold(competitionId, board, audience, only).catchUp(store);
}
