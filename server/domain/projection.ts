/**
 * Pure projection of sheets onto boards. The same row functions serve the incremental path (one
 * sheet changed: updatesForSheet) and the full path (projectAll, used by set-up changes and the
 * rebuild), so a live competition and its rebuild cannot disagree by construction.
 *
 * Boards of an event (see shared/boards.ts):
 *   <event>|<round>|individual[|category]  one row per contestant with a sheet in that round
 *   <event>|<round or overall>|individual|@<venue>  the same rows, only the venue's contestants
 *   <event>|overall|individual[|category]  weighted rounds combined, when some round has a weight
 *   <event>|<round or overall>|team         scoring.teamStanding, from the individual board's rows
 *   <event>|<round or overall>|organisation scoring.organisationStanding, likewise
 */
import { boardKey, type BoardRow } from '../../shared/boards.ts';
import type { Fraction } from '../../shared/decimal.ts';
import type {
  Competition,
  Contestant,
  ContestEvent,
  Outcome,
  Sheet,
  StandingRule,
} from '../../shared/model.ts';
import {
  combineRounds,
  computeSheet,
  rankKey,
  standingTotal,
  type SheetResult,
} from '../../shared/scoring/index.ts';
import { sheetKeyString, type BoardUpdate, type SheetKey } from '../store/types.ts';
import { combinedFlags, markingJudgeIds, sheetFlags } from './officialOps.ts';
import { regionBoardVenues } from '../../shared/regions.ts';
import { own } from '../../shared/records.ts';

export const OVERALL = 'overall';

/** Board id → row id → row. */
export type BoardRows = Map<string, Map<string, BoardRow>>;

/** True when the event has an overall board (some round carries a weight). */
export function hasOverall(event: ContestEvent): boolean {
  return event.rounds.some((r) => r.weight !== undefined);
}

function countedRounds(event: ContestEvent): string[] {
  return event.rounds.filter((r) => r.weight !== undefined).map((r) => r.id);
}

/** The individual boards a contestant appears on for a round (or 'overall'): the event's, their category's, venue's and region's. */
export function individualBoards(
  setup: Competition,
  eventId: string,
  roundId: string,
  contestant: Contestant,
): string[] {
  const boards = [boardKey({ eventId, roundId, scope: 'individual' })];
  if (contestant.category !== undefined) {
    boards.push(boardKey({ eventId, roundId, scope: 'individual', category: contestant.category }));
  }
  if (contestant.venueId !== undefined) {
    boards.push(boardKey({ eventId, roundId, scope: 'individual', venueId: contestant.venueId }));
    const region = regionBoardVenues(setup, eventId).get(contestant.venueId);
    if (region !== undefined) boards.push(boardKey({ eventId, roundId, scope: 'individual', region }));
  }
  return boards;
}

interface Standing {
  board: string;
  rowId: string;
  rule: StandingRule;
  members: Contestant[];
}

/** The team and organisation rows a contestant contributes to on a round (or 'overall'). */
function standingsOf(
  setup: Competition,
  event: ContestEvent,
  roundId: string,
  contestant: Contestant,
): Standing[] {
  const { teamStanding, organisationStanding } = event.scoring;
  const eventContestants = setup.contestants.filter((c) => c.eventId === event.id);
  const standings: Standing[] = [];
  if (teamStanding !== undefined && contestant.teamId !== undefined) {
    standings.push({
      board: boardKey({ eventId: event.id, roundId, scope: 'team' }),
      rowId: contestant.teamId,
      rule: teamStanding,
      members: eventContestants.filter((c) => c.teamId === contestant.teamId),
    });
  }
  if (organisationStanding !== undefined) {
    standings.push({
      board: boardKey({ eventId: event.id, roundId, scope: 'organisation' }),
      rowId: contestant.organisation,
      rule: organisationStanding,
      members: eventContestants.filter((c) => c.organisation === contestant.organisation),
    });
  }
  return standings;
}

// Sheets and set-ups are never mutated once built, so a result can be kept per (sheet, set-up, event):
// one command scores the same sheet for several boards and its acknowledgement.
const results = new WeakMap<Sheet, WeakMap<Competition, Map<string, SheetResult>>>();

/**
 * The scored result of a contestant's sheet (memoised per sheet, set-up and event objects: a sheet
 * object belongs to one contestant).
 */
export function sheetResult(
  setup: Competition,
  event: ContestEvent,
  contestantId: string,
  sheet: Sheet,
): SheetResult {
  let bySetup = results.get(sheet);
  if (bySetup === undefined) results.set(sheet, (bySetup = new WeakMap()));
  let byEvent = bySetup.get(setup);
  if (byEvent === undefined) bySetup.set(setup, (byEvent = new Map()));
  let result = byEvent.get(event.id);
  if (result === undefined)
    byEvent.set(
      event.id,
      (result = computeSheet(
        event,
        markingJudgeIds(setup, { eventId: event.id, contestantId }, sheet),
        sheet,
      )),
    );
  return result;
}

/** A contestant's row on a round's boards. */
export function roundRow(
  setup: Competition,
  event: ContestEvent,
  contestantId: string,
  sheet: Sheet,
): BoardRow {
  const result = sheetResult(setup, event, contestantId, sheet);
  const tieBreak = event.scoring.tieBreak.criteria.map((id) => own(result.criteria, id) ?? null);
  const input = { id: contestantId, total: result.total, outcome: sheet.outcome, tieBreak };
  const key = rankKey(
    event.scoring,
    sheet.finishedAt === undefined ? input : { ...input, finishedAt: sheet.finishedAt },
  );
  return {
    id: contestantId,
    total: result.total,
    complete: result.complete,
    outcome: sheet.outcome,
    rankKey: key,
    ...sheetFlags(sheet),
  };
}

/** Worst first: the overall outcome is the worst outcome of any counted round. */
const OUTCOME_SEVERITY: Record<Outcome, number> = { ok: 0, dnf: 1, dns: 2, dsq: 3 };

/**
 * A contestant's overall row from their sheets in the weighted rounds (absent: not performed —
 * it adds nothing); null without any. A dnf/dns/dsq in any counted round carries into the overall
 * (the worst of them: dsq, then dns, then dnf), which then has no total and no rank — a
 * contestant who missed a counted round has no overall placing (docs/RULES.md, "Outcomes").
 * Round totals are combined rounded or exact by `scoring.roundRounding`; tie-breaks come from
 * the last weighted round performed.
 */
export function overallRow(
  setup: Competition,
  event: ContestEvent,
  contestantId: string,
  sheets: Record<string, Sheet | undefined>,
): BoardRow | null {
  const performed = countedRounds(event).flatMap((roundId) => {
    const sheet = own(sheets, roundId);
    return sheet === undefined
      ? []
      : [{ roundId, sheet, result: sheetResult(setup, event, contestantId, sheet) }];
  });
  const last = performed.at(-1);
  if (last === undefined) return null;
  const outcome = performed.reduce<Outcome>(
    (worst, p) => (OUTCOME_SEVERITY[p.sheet.outcome] > OUTCOME_SEVERITY[worst] ? p.sheet.outcome : worst),
    'ok',
  );
  const exact = event.scoring.roundRounding === 'once-at-end';
  const totals: Record<string, string | Fraction | null> = {};
  for (const p of performed) totals[p.roundId] = exact ? p.result.exactTotal : p.result.total;
  const combined = outcome === 'ok' ? combineRounds(event, totals) : null;
  const total = combined ?? (0).toFixed(event.scoring.decimals);
  const tieBreak = event.scoring.tieBreak.criteria.map((id) => own(last.result.criteria, id) ?? null);
  const input = { id: contestantId, total, outcome, tieBreak };
  const finishedAt = last.sheet.finishedAt;
  const key = rankKey(event.scoring, finishedAt === undefined ? input : { ...input, finishedAt });
  const complete = performed.every((p) => p.result.complete);
  const flags = combinedFlags(performed.map((p) => sheetFlags(p.sheet)));
  return { id: contestantId, total, complete, outcome, rankKey: key, ...flags };
}

/** A team's or organisation's row from its members' rows on one individual board; null when none counts. */
export function standingRow(
  event: ContestEvent,
  rule: StandingRule,
  rowId: string,
  memberRows: readonly BoardRow[],
): BoardRow | null {
  const counted = memberRows.filter((r) => r.outcome === 'ok');
  if (counted.length === 0) return null;
  const total = standingTotal(
    rule,
    counted.map((r) => r.total),
    event.scoring.decimals,
    event.scoring.better,
  );
  const key = rankKey(event.scoring, { id: rowId, total, outcome: 'ok', tieBreak: [] });
  const complete = memberRows.every((r) => r.complete);
  return { id: rowId, total, complete, outcome: 'ok', rankKey: key, ...combinedFlags(memberRows) };
}

/** What the incremental projection of one sheet needs to read first. */
export interface SheetDependencies {
  /** The contestant's sheets in the other weighted rounds (for the overall row). */
  otherSheets: SheetKey[];
  /** Current rows to read: other members' rows on individual boards, and every row that may change. */
  rows: Array<{ board: string; rowId: string }>;
  /** Every board the change may touch (their versions guard the commit). */
  boards: string[];
}

/** The reads needed before `updatesForSheet` for a change of the sheet at `key`. */
export function sheetDependencies(
  setup: Competition,
  event: ContestEvent,
  contestant: Contestant,
  key: SheetKey,
): SheetDependencies {
  const roundIds = [key.roundId];
  const otherSheets: SheetKey[] = [];
  if (hasOverall(event)) {
    roundIds.push(OVERALL);
    for (const roundId of countedRounds(event)) {
      if (roundId !== key.roundId) otherSheets.push({ ...key, roundId });
    }
  }
  const rows: SheetDependencies['rows'] = [];
  const boards: string[] = [];
  for (const roundId of roundIds) {
    for (const board of individualBoards(setup, event.id, roundId, contestant)) {
      boards.push(board);
      rows.push({ board, rowId: contestant.id });
    }
    const individual = boardKey({ eventId: event.id, roundId, scope: 'individual' });
    for (const s of standingsOf(setup, event, roundId, contestant)) {
      boards.push(s.board);
      rows.push({ board: s.board, rowId: s.rowId });
      for (const m of s.members) if (m.id !== contestant.id) rows.push({ board: individual, rowId: m.id });
    }
  }
  return { otherSheets, rows, boards: [...new Set(boards)] };
}

/** Key of a (board, row) pair in the `rows` map given to updatesForSheet. */
export function rowRef(board: string, rowId: string): string {
  return `${board}\u0000${rowId}`;
}

/**
 * The new rows (null: remove) of every board a changed sheet touches, given the contestant's
 * sheets in other rounds (by sheetKeyString) and the current rows named by sheetDependencies.
 */
export function updatesForSheet(
  setup: Competition,
  event: ContestEvent,
  contestant: Contestant,
  key: SheetKey,
  sheet: Sheet,
  read: { sheets: ReadonlyMap<string, Sheet>; rows: ReadonlyMap<string, BoardRow | null> },
): BoardUpdate[] {
  const updates: BoardUpdate[] = [];
  const rowsByRound = new Map<string, BoardRow | null>();
  const row = roundRow(setup, event, contestant.id, sheet);
  rowsByRound.set(key.roundId, row);
  if (hasOverall(event)) {
    const sheets: Record<string, Sheet | undefined> = {};
    for (const roundId of countedRounds(event)) {
      sheets[roundId] =
        roundId === key.roundId ? sheet : read.sheets.get(sheetKeyString({ ...key, roundId }));
    }
    rowsByRound.set(OVERALL, overallRow(setup, event, contestant.id, sheets));
  }
  for (const [roundId, own] of rowsByRound) {
    for (const board of individualBoards(setup, event.id, roundId, contestant)) {
      updates.push({ board, rowId: contestant.id, row: own });
    }
    const individual = boardKey({ eventId: event.id, roundId, scope: 'individual' });
    for (const s of standingsOf(setup, event, roundId, contestant)) {
      const memberRows = s.members.flatMap((m) => {
        const r = m.id === contestant.id ? own : (read.rows.get(rowRef(individual, m.id)) ?? null);
        return r === null ? [] : [r];
      });
      updates.push({ board: s.board, rowId: s.rowId, row: standingRow(event, s.rule, s.rowId, memberRows) });
    }
  }
  return updates;
}

/** Every board's rows computed from scratch from the set-up and all sheets (sheets of unknown contestants are ignored). */
export function projectAll(
  setup: Competition,
  sheets: ReadonlyArray<{ key: SheetKey; sheet: Sheet }>,
): BoardRows {
  const boards: BoardRows = new Map();
  const put = (board: string, row: BoardRow): void => {
    let rows = boards.get(board);
    if (rows === undefined) boards.set(board, (rows = new Map()));
    rows.set(row.id, row);
  };
  const contestants = new Map(setup.contestants.map((c) => [c.id, c]));
  const byContestant = new Map<string, Record<string, Sheet>>();
  for (const { key, sheet } of sheets) {
    const contestant = contestants.get(key.contestantId);
    const event = setup.events.find((e) => e.id === key.eventId);
    if (contestant?.eventId !== key.eventId || event === undefined) continue;
    if (!event.rounds.some((r) => r.id === key.roundId)) continue;
    const row = roundRow(setup, event, contestant.id, sheet);
    for (const board of individualBoards(setup, event.id, key.roundId, contestant)) put(board, row);
    const own = byContestant.get(contestant.id) ?? {};
    own[key.roundId] = sheet;
    byContestant.set(contestant.id, own);
  }
  for (const [contestantId, roundSheets] of byContestant) {
    const contestant = contestants.get(contestantId);
    const event = setup.events.find((e) => e.id === contestant?.eventId);
    if (contestant === undefined || event === undefined || !hasOverall(event)) continue;
    const row = overallRow(setup, event, contestantId, roundSheets);
    if (row !== null)
      for (const board of individualBoards(setup, event.id, OVERALL, contestant)) put(board, row);
  }
  for (const event of setup.events) {
    const { teamStanding, organisationStanding } = event.scoring;
    const members = setup.contestants.filter((c) => c.eventId === event.id);
    const groups: Array<{
      scope: 'team' | 'organisation';
      rule: StandingRule;
      byId: Map<string, Contestant[]>;
    }> = [];
    if (teamStanding !== undefined)
      groups.push({ scope: 'team', rule: teamStanding, byId: groupBy(members, (c) => c.teamId) });
    if (organisationStanding !== undefined) {
      groups.push({
        scope: 'organisation',
        rule: organisationStanding,
        byId: groupBy(members, (c) => c.organisation),
      });
    }
    const roundIds = [...event.rounds.map((r) => r.id), ...(hasOverall(event) ? [OVERALL] : [])];
    for (const roundId of roundIds) {
      const individual = boards.get(boardKey({ eventId: event.id, roundId, scope: 'individual' }));
      if (individual === undefined) continue;
      for (const { scope, rule, byId } of groups) {
        for (const [rowId, group] of byId) {
          const row = standingRow(
            event,
            rule,
            rowId,
            group.flatMap((m) => individual.get(m.id) ?? []),
          );
          if (row !== null) put(boardKey({ eventId: event.id, roundId, scope }), row);
        }
      }
    }
  }
  return boards;
}

/** Items grouped by a key; items without a key are left out. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/** True when two rows are the same in every stored field. */
export function sameRow(a: BoardRow | null | undefined, b: BoardRow | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return (
    a.id === b.id &&
    a.total === b.total &&
    a.complete === b.complete &&
    a.outcome === b.outcome &&
    a.rankKey === b.rankKey &&
    a.signed === b.signed &&
    a.appealed === b.appealed
  );
}
