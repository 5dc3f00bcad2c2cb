/** Planning a set-up change: recompute every board from all sheets and write the differences. */
import { parseBoardKey, type BoardRow, type RankedRow } from '../../shared/boards.ts';
import type { Competition } from '../../shared/model.ts';
import type { BoardUpdate, Commit } from '../store/types.ts';
import { allRows, boardVersion } from './competitionCache.ts';
import { roundState, toPublicControl } from './control.ts';
import { PodiumError } from './errors.ts';
import type { Plan, PlanReads } from './plan.ts';
import { projectAll, sameRow } from './projection.ts';

export async function planSetup(
  { store, cache }: PlanReads,
  competitionId: string,
  next: Competition,
  current: Competition | null,
  expect: Commit['expect'],
): Promise<Plan> {
  const listed = await store.listBoards(competitionId);
  // Any sheet written concurrently under the old set-up touches its round board: guard them all.
  const roundBoards = (current?.events ?? []).flatMap((e) =>
    e.rounds.map((r) => `${e.id}|${r.id}|individual`),
  );
  const sheets = await store.getSheets(competitionId);
  const projected = projectAll(next, sheets);
  const boards = [...new Set([...listed, ...roundBoards, ...projected.keys()])];
  const versions = await Promise.all(boards.map((b) => boardVersion(store, competitionId, b)));
  boards.forEach((board, i) => expect.push({ ref: { kind: 'board', board }, version: versions[i] ?? 0 }));
  const existing = new Map<string, RankedRow[]>();
  for (const board of listed) existing.set(board, await allRows(store, competitionId, board));

  const updates: BoardUpdate[] = [];
  for (const board of boards) {
    const want = projected.get(board) ?? new Map<string, BoardRow>();
    const have = new Map((existing.get(board) ?? []).map((r) => [r.id, r]));
    for (const [rowId, row] of want) {
      if (!sameRow(row, have.get(rowId))) updates.push({ board, rowId, row });
    }
    for (const rowId of have.keys()) if (!want.has(rowId)) updates.push({ board, rowId, row: null });
  }
  const control = (await cache.control(competitionId)).value;
  // Finalized results are read-only: a set-up edit may not move any of their rows.
  const touched = updates.find((u) => {
    const ref = parseBoardKey(u.board);
    return ref !== null && roundState(control, ref.eventId, ref.roundId) === 'finalized';
  });
  if (touched) {
    throw new PodiumError(
      'finalized',
      `this set-up change would alter the finalized results of ${touched.board}`,
    );
  }
  // The sheets read must still be the ones projected.
  for (const { key, version } of sheets) expect.push({ ref: { kind: 'sheet', key }, version });
  return {
    commit: { expect, sheets: [], boards: updates, setup: next },
    result: {},
    reset: [...new Set(updates.map((u) => u.board))],
    control: toPublicControl(competitionId, control, next),
  };
}
