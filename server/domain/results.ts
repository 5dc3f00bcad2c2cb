/**
 * One board's results for the JSON results API and the event feed: the rows exactly as the board
 * snapshot shows them to this audience (ContestService.boardSnapshot applies freeze and embargo —
 * no second visibility rule here), with names, ids, per-round results, medals and finality.
 */
import { boardKey, type RankedRow } from '../../shared/boards.ts';
import type { BoardSnapshot, PublicControl } from '../../shared/events.ts';
import type { Competition, ContestEvent } from '../../shared/model.ts';
import type { BoardInfo, BoardResults, ResultRow } from '../../shared/results.ts';
import { medalFor } from '../../shared/scoring/index.ts';
import type { Store } from '../store/types.ts';
import { hasOverall, OVERALL } from './projection.ts';
import { presentedSetup, standingHidden } from './visibility.ts';

/** The read side results need (ContestService has it). */
export interface BoardReader {
  /** A page of a board as `audience` sees it (throws PodiumError not_found for unknown boards). */
  boardSnapshot(
    competitionId: string,
    board: string,
    audience: 'public' | 'staff',
    page?: { offset?: number; limit?: number },
  ): Promise<BoardSnapshot>;
  getControl(competitionId: string): Promise<PublicControl>;
  getSetup(competitionId: string): Promise<Competition | null>;
}

const PAGE = 1000;

/** Every row of a board as `audience` sees it, read in snapshot pages, and the first page's facts. */
export async function visibleBoard(
  reader: BoardReader,
  competitionId: string,
  board: string,
  audience: 'public' | 'staff',
): Promise<{ snapshot: BoardSnapshot; rows: RankedRow[] }> {
  const snapshot = await reader.boardSnapshot(competitionId, board, audience, { offset: 0, limit: PAGE });
  const rows = [...snapshot.rows];
  while (rows.length < snapshot.total) {
    const page = await reader.boardSnapshot(competitionId, board, audience, {
      offset: rows.length,
      limit: PAGE,
    });
    if (page.rows.length === 0) break;
    rows.push(...page.rows);
  }
  return { snapshot, rows };
}

/** Whether the chief judge signed (`sheet.sign`) each contestant's sheet of a round, by contestant id. */
async function signedSheets(
  sheets: Pick<Store, 'getSheet'>,
  competitionId: string,
  eventId: string,
  roundId: string,
  contestantIds: readonly string[],
): Promise<Map<string, boolean>> {
  const signed = new Map<string, boolean>();
  for (let i = 0; i < contestantIds.length; i += 200) {
    const ids = contestantIds.slice(i, i + 200);
    const read = await Promise.all(
      ids.map((contestantId) => sheets.getSheet(competitionId, { eventId, roundId, contestantId })),
    );
    ids.forEach((id, j) => signed.set(id, read[j]?.value.signed !== undefined));
  }
  return signed;
}

/** 'final' when the round (for 'overall': every counted round) is finalized. */
function finality(event: ContestEvent, roundId: string, control: PublicControl): 'provisional' | 'final' {
  const rounds =
    roundId === OVERALL
      ? event.rounds.filter((r) => r.weight !== undefined)
      : event.rounds.filter((r) => r.id === roundId);
  const done =
    rounds.length > 0 && rounds.every((r) => control.rounds[`${event.id}|${r.id}`] === 'finalized');
  return done ? 'final' : 'provisional';
}

/** The results of one board of the set-up, as `audience` may see them. */
export async function boardResults(
  reader: BoardReader,
  sheets: Pick<Store, 'getSheet'>,
  setup: Competition,
  info: BoardInfo,
  audience: 'public' | 'staff',
): Promise<BoardResults> {
  const event = setup.events.find((e) => e.id === info.eventId);
  if (event === undefined) throw new Error(`board ${info.board} of no event`);
  const control = await reader.getControl(setup.id);
  const embargoed = audience === 'public' && control.embargoed.includes(event.id);
  const visible = await visibleBoard(reader, setup.id, info.board, audience);
  const { snapshot } = visible;
  // Team and organisation standings of an anonymised event: no rows for anyone before the decode.
  const rows = standingHidden(setup, info.board, control.draws) ? [] : visible.rows;
  // Per-round results of each row: the same-scope board of every round (and overall), same audience.
  const roundIds = [...event.rounds.map((r) => r.id), ...(hasOverall(event) ? [OVERALL] : [])];
  const perRound = new Map<string, Map<string, RankedRow>>();
  for (const roundId of roundIds) {
    const board = boardKey({ eventId: event.id, roundId, scope: info.scope });
    const view =
      board === info.board && info.category === null
        ? rows
        : (await visibleBoard(reader, setup.id, board, audience)).rows;
    perRound.set(roundId, new Map(view.map((r) => [r.id, r])));
  }
  const perSheet = info.scope === 'individual' && info.roundId !== OVERALL;
  const signed = perSheet
    ? await signedSheets(
        sheets,
        setup.id,
        event.id,
        info.roundId,
        rows.map((r) => r.id),
      )
    : new Map<string, boolean>();
  // Names only where visibility.ts allows them (an anonymised event shows drawn numbers until decoded).
  const contestants = new Map(presentedSetup(setup, control.draws).contestants.map((c) => [c.id, c]));
  const teams = new Map(setup.teams.map((t) => [t.id, t.name]));
  const rule = event.scoring.medals;
  const out: ResultRow[] = rows.map((row) => {
    const c = info.scope === 'individual' ? contestants.get(row.id) : undefined;
    return {
      ...row,
      provisional: !row.complete,
      signed: perSheet ? (signed.get(row.id) ?? false) : null,
      medal: rule && row.outcome === 'ok' && row.complete ? medalFor(rule, row.rank, row.total) : null,
      contestant:
        c === undefined
          ? null
          : {
              id: c.id,
              bib: c.bib,
              name: c.name,
              organisation: c.organisation,
              region: c.region,
              category: c.category ?? null,
              teamId: c.teamId ?? null,
              teamName: c.teamId === undefined ? null : (teams.get(c.teamId) ?? null),
              ...(c.draw === undefined ? {} : { draw: c.draw }),
            },
      team: info.scope === 'team' ? { id: row.id, name: teams.get(row.id) ?? row.id } : null,
      organisation: info.scope === 'organisation' ? row.id : null,
      rounds: Object.fromEntries(
        roundIds.map((roundId) => {
          const r = perRound.get(roundId)?.get(row.id);
          return [
            roundId,
            r === undefined
              ? null
              : { total: r.total, complete: r.complete, outcome: r.outcome, rank: r.rank },
          ];
        }),
      ),
    };
  });
  return {
    ok: true,
    competitionId: setup.id,
    ...info,
    version: snapshot.version,
    frozen: snapshot.frozen,
    embargoed,
    status: finality(event, info.roundId, control),
    total: embargoed ? 0 : rows.length,
    rows: out,
  };
}
