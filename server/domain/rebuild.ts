/**
 * The rebuild: replay a competition's whole log purely (set-up, sheet and control commands) into
 * fresh state, project every board from it, and compare with what the store holds. Zero
 * differences proves every ranking can be rebuilt from the log.
 */
import type { BoardRow, RankedRow } from '../../shared/boards.ts';
import { commandSchemas, type Command, type CommandName } from '../../shared/commands.ts';
import { describeIssues, type Competition, type Sheet } from '../../shared/model.ts';
import { emptySheet } from '../../shared/model.ts';
import { rankRows } from '../../shared/scoring/index.ts';
import { sheetKeyString, type LogEntry, type SheetKey, type Store } from '../store/types.ts';
import type { Actor } from './actor.ts';
import { isAuditOnly } from './auditEntries.ts';
import { initialControl, parseControl, type ControlState } from './control.ts';
import { applyControlCommand, isControlCommand } from './controlOps.ts';
import { applyMirroredStages, parseMirroredStages, VENUE_STAGES } from './mirroredStages.ts';
import { assignedJudgeIds, findEvent } from './policy.ts';
import { projectAll, sameRow, type BoardRows } from './projection.ts';
import { applyToSheet, isSheetCommand } from './sheetOps.ts';

export interface Difference {
  kind: 'board' | 'sheet' | 'control' | 'replay';
  /** Board id, sheet key or log entry id. */
  where: string;
  /** Row id for board differences. */
  row?: string;
  expected: unknown;
  stored: unknown;
}

export interface RebuildReport {
  competitionId: string;
  entries: number;
  boards: number;
  rows: number;
  sheets: number;
  differences: Difference[];
}

/** State folded from the log. */
export interface ReplayState {
  setup: Competition | null;
  sheets: Map<string, { key: SheetKey; sheet: Sheet }>;
  control: ControlState;
}

const LOG_PAGE = 500;
const BOARD_PAGE = 1000;

/** The actor a log label stands for (the judge id and who filed an appeal matter when replaying). */
export function actorFromLabel(label: string, competitionId: string): Actor {
  const [kind, ...rest] = label.split(':');
  const id = rest.join(':');
  if (kind === 'judge') return { kind: 'judge', judgeId: id, competitionId, role: 'judge' };
  if (kind === 'integration') return { kind: 'integration', keyId: id, competitionId };
  if (kind === 'leader') return { kind: 'leader', teamId: id, competitionId };
  return { kind: 'organiser', id };
}

/** Ranked rows of every projected board. */
export function rankedBoards(boards: BoardRows): Map<string, RankedRow[]> {
  return new Map([...boards].map(([board, rows]) => [board, rankRows([...rows.values()])]));
}

/** Apply one log entry to the replay state (pure apart from mutating `state`); throws when it cannot apply. */
export function replayEntry(state: ReplayState, entry: LogEntry, competitionId: string): void {
  if (isAuditOnly(entry.type)) return;
  if (entry.type === VENUE_STAGES) {
    // Stages a venue node took from the hub, as they were (mirroredStages.ts).
    if (state.setup === null) throw new Error('stages before any set-up');
    const { stages } = parseMirroredStages(entry.payload);
    state.control = applyMirroredStages(state.setup, state.control, stages);
    return;
  }
  const name = entry.type as CommandName;
  const schema = commandSchemas[name] as (typeof commandSchemas)[CommandName] | undefined;
  if (schema === undefined) throw new Error(`unknown log entry type ${entry.type}`);
  const parsed = schema.safeParse(entry.payload);
  if (!parsed.success) throw new Error(`payload does not parse: ${describeIssues(parsed.error)}`);
  const command = { name, payload: parsed.data } as Command;
  if (command.name === 'setup.put') {
    state.setup = command.payload.competition;
    return;
  }
  if (state.setup === null) throw new Error('command before any set-up');
  if (isSheetCommand(command)) {
    const { eventId, roundId, contestantId } = command.payload;
    const key = { eventId, roundId, contestantId };
    const event = findEvent(state.setup, eventId);
    const current = state.sheets.get(sheetKeyString(key))?.sheet ?? emptySheet();
    const ctx = { setup: state.setup, event, assignedJudgeIds: assignedJudgeIds(state.setup, eventId) };
    const sheet = applyToSheet(ctx, current, command, actorFromLabel(entry.actor, competitionId));
    state.sheets.set(sheetKeyString(key), { key, sheet });
    return;
  }
  if (!isControlCommand(command)) throw new Error(`cannot replay ${entry.type}`);
  const needsBoards =
    command.name === 'board.freeze' ||
    command.name === 'board.reveal' ||
    command.name === 'event.embargo' ||
    command.name === 'round.finalize' ||
    command.name === 'round.qualifiers';
  const boards = needsBoards ? rankedBoards(projectAll(state.setup, [...state.sheets.values()])) : new Map();
  state.control = applyControlCommand(state.setup, state.control, command, boards).control;
}

/** Fold the whole log of a competition into fresh state; entries that cannot apply become differences. */
export async function replayLog(
  store: Store,
  competitionId: string,
): Promise<{ state: ReplayState; entries: number; failures: Difference[] }> {
  const state: ReplayState = { setup: null, sheets: new Map(), control: initialControl() };
  const failures: Difference[] = [];
  let entries = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.readLog(competitionId, after, LOG_PAGE);
    for (const entry of page) {
      entries++;
      try {
        replayEntry(state, entry, competitionId);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failures.push({
          kind: 'replay',
          where: entry.id,
          expected: `${entry.type} applies`,
          stored: message,
        });
      }
    }
    if (page.length < LOG_PAGE) break;
    after = page.at(-1)?.id;
  }
  return { state, entries, failures };
}

async function allRows(store: Store, competitionId: string, board: string): Promise<RankedRow[]> {
  const rows: RankedRow[] = [];
  for (;;) {
    const page = await store.top(competitionId, board, rows.length, BOARD_PAGE);
    rows.push(...page);
    if (page.length < BOARD_PAGE) return rows;
  }
}

function compareBoards(expected: Map<string, RankedRow[]>, stored: Map<string, RankedRow[]>): Difference[] {
  const differences: Difference[] = [];
  for (const board of new Set([...expected.keys(), ...stored.keys()])) {
    const want = new Map((expected.get(board) ?? []).map((r) => [r.id, r]));
    const have = new Map((stored.get(board) ?? []).map((r) => [r.id, r]));
    for (const row of new Set([...want.keys(), ...have.keys()])) {
      const w = want.get(row) ?? null;
      const h = have.get(row) ?? null;
      if (!sameRow(w, h) || w?.rank !== h?.rank)
        differences.push({ kind: 'board', where: board, row, expected: w, stored: h });
    }
  }
  return differences;
}

/** A comparable form of the control state: frozen rows keyed by id so tie order cannot matter. */
function controlFingerprint(control: ControlState): string {
  const freezes = Object.fromEntries(
    Object.entries(control.freezes)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, f]) => [
        key,
        {
          revealed: f.revealed,
          revealedIds: f.revealedIds ?? [],
          boards: Object.fromEntries(
            Object.entries(f.frozenBoards)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([b, rows]) => [b, [...rows].sort((x, y) => (x.id < y.id ? -1 : 1)).map(rowText)]),
          ),
        },
      ]),
  );
  const sorted = <T>(r: Record<string, T>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify({
    rounds: sorted(control.rounds),
    stage: sorted(control.stage),
    freezes,
    embargoed: [...control.embargoed].sort(),
    displays: sorted(control.displays),
    notices: sorted(control.notices ?? {}),
    appealDeadlines: sorted(control.appealDeadlines ?? {}),
    qualification: sorted(control.qualification ?? {}),
  });
}

function rowText(row: RankedRow | BoardRow): string {
  const rank = 'rank' in row ? row.rank : '';
  const flags = `${row.signed === true ? 's' : ''}${row.appealed === true ? 'a' : ''}`;
  return `${row.id}|${row.total}|${row.complete}|${row.outcome}|${row.rankKey}|${rank}|${flags}`;
}

/** Replay the log of a competition and compare boards, sheets and control with the store's. */
export async function rebuild(store: Store, competitionId: string): Promise<RebuildReport> {
  const { state, entries, failures } = await replayLog(store, competitionId);
  const differences = [...failures];
  const expected =
    state.setup === null
      ? new Map<string, RankedRow[]>()
      : rankedBoards(projectAll(state.setup, [...state.sheets.values()]));
  const stored = new Map<string, RankedRow[]>();
  for (const board of await store.listBoards(competitionId))
    stored.set(board, await allRows(store, competitionId, board));
  differences.push(...compareBoards(expected, stored));

  const storedSheets = new Map(
    (await store.getSheets(competitionId)).map((s) => [sheetKeyString(s.key), s.sheet]),
  );
  for (const key of new Set([...state.sheets.keys(), ...storedSheets.keys()])) {
    const want = state.sheets.get(key)?.sheet ?? null;
    const have = storedSheets.get(key) ?? null;
    if (JSON.stringify(want) !== JSON.stringify(have))
      differences.push({ kind: 'sheet', where: key, expected: want, stored: have });
  }

  const storedControl = parseControl((await store.getControl(competitionId)).value);
  if (controlFingerprint(storedControl) !== controlFingerprint(state.control)) {
    differences.push({ kind: 'control', where: 'control', expected: state.control, stored: storedControl });
  }
  const rows = [...expected.values()].reduce((n, r) => n + r.length, 0);
  return { competitionId, entries, boards: expected.size, rows, sheets: state.sheets.size, differences };
}
