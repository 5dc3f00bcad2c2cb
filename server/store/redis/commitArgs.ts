/** Flattens a Commit into the KEYS and ARGV of COMMIT_LUA (see scripts.ts for the layout). */
import { boardMember } from '../ranking.ts';
import { isScratchId, sheetKeyString, versionKey, type BoardUpdate, type Commit } from '../types.ts';
import { bumpedVersions } from '../validate.ts';
import { IDEMPOTENCY_SECONDS, type CompetitionKeys } from './keys.ts';

export function commitScriptArgs(
  keys: CompetitionKeys,
  commit: Commit,
): { keys: string[]; args: Array<string | number> } {
  const scriptKeys = [keys.versions, keys.sheets, keys.setup, keys.control, keys.log, keys.op(commit.opId)];
  scriptKeys.push(keys.boards);
  const args: Array<string | number> = [IDEMPOTENCY_SECONDS, JSON.stringify(commit.result ?? null)];
  const { opId, at, actor, type, payload } = commit.entry;
  args.push(JSON.stringify({ at, actor, opId, type, payload }));

  args.push(commit.expect.length);
  for (const { ref, version } of commit.expect) args.push(versionKey(ref), version);

  args.push(commit.sheets.length);
  for (const { key, sheet } of commit.sheets) args.push(sheetKeyString(key), JSON.stringify(sheet));

  args.push(
    commit.setup === undefined ? '0' : '1',
    commit.setup === undefined ? '' : JSON.stringify(commit.setup),
  );
  args.push(
    commit.control === undefined ? '0' : '1',
    commit.control === undefined ? '' : JSON.stringify(commit.control),
  );

  const bumped = bumpedVersions(commit);
  args.push(bumped.length, ...bumped);

  const byBoard = groupByBoard(commit.boards);
  args.push(byBoard.size);
  for (const [board, updates] of byBoard) {
    scriptKeys.push(keys.board(board), keys.rows(board));
    args.push(board, updates.length);
    for (const { rowId, row } of updates) {
      if (row === null) args.push(rowId, '', '');
      else args.push(rowId, boardMember(row.rankKey, rowId), JSON.stringify(row));
    }
  }
  // A restore's scratch space publishes nothing: no screen watches it.
  const channel = isScratchId(keys.competitionId) ? '' : keys.changes;
  args.push(channel, commit.opId, commit.after ?? '', actor);
  return { keys: scriptKeys, args };
}

/** Updates per board, boards and rows in the order given (a later update of a row wins). */
function groupByBoard(updates: readonly BoardUpdate[]): Map<string, BoardUpdate[]> {
  const byBoard = new Map<string, BoardUpdate[]>();
  for (const update of updates) {
    const list = byBoard.get(update.board);
    if (list) list.push(update);
    else byBoard.set(update.board, [update]);
  }
  return byBoard;
}
