/** Importing judges from a CSV file. */
import { judgeSchema, type Competition, type Judge } from '../../shared/model.ts';
import { issuesAt, mapColumns, withColumns, type ColumnSpec } from './columns.ts';
import type { ImportOutcome } from './contestants.ts';
import type { RowError } from './decode.ts';
import { findEvent, freshId, sameText } from './lookup.ts';
import type { CsvTable } from './parse.ts';

type JudgeColumn = 'id' | 'name' | 'role' | 'events';

/** Accepted headers; the first alias of each is the template's header. */
export const judgeColumns: ReadonlyArray<ColumnSpec<JudgeColumn>> = [
  { field: 'name', aliases: ['姓名', '裁判姓名', 'name'], required: true },
  { field: 'role', aliases: ['角色', '身份', '职务', 'role'], required: false },
  { field: 'events', aliases: ['赛项', '执裁赛项', '项目', 'events', 'event'], required: false },
  { field: 'id', aliases: ['编号', '裁判编号', 'id', 'judgeid'], required: false },
];

const CHIEF = ['裁判长', '主裁判', '主裁', '首席裁判', 'chief', 'chiefjudge', 'chief judge'];
const JUDGE = ['裁判', '裁判员', '评委', '评分裁判', 'judge'];
/** Event lists may be separated by any of these (ASCII or Chinese punctuation). */
const LIST_SEPARATOR = /[;,|，；、]/;

/**
 * Read judges from a parsed CSV table. Role defaults to judge; events are named by id or name
 * and default to every event. A judge without an id keeps the id of the set-up's judge with the
 * same name, else gets a fresh "judge-N".
 */
export function readJudges(table: CsvTable, setup: Competition): ImportOutcome<Judge[]> {
  const mapped = mapColumns(table, judgeColumns);
  const errors: RowError[] = [...table.errors, ...mapped.errors];
  const taken = new Set(setup.judges.map((j) => j.id));
  const fileIds = new Map<string, number>();
  const judges: Judge[] = [];

  for (const { line, values } of mapped.rows) {
    const rowErrors: RowError[] = [];
    const name = values.name ?? '';

    let role: Judge['role'] = 'judge';
    const roleText = values.role?.toLowerCase();
    if (roleText !== undefined && CHIEF.includes(roleText)) role = 'chief';
    else if (roleText !== undefined && !JUDGE.includes(roleText)) {
      rowErrors.push({
        line,
        field: 'role',
        code: 'unknown_role',
        params: { value: values.role ?? '' },
        message: `unknown role "${values.role}" (裁判 or 裁判长)`,
      });
    }

    const eventIds: string[] = [];
    const names = (values.events ?? '')
      .split(LIST_SEPARATOR)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const text of names) {
      const event = findEvent(setup, text);
      if (event === undefined) {
        rowErrors.push({
          line,
          field: 'eventIds',
          code: 'unknown_event',
          params: { value: text },
          message: `no event "${text}"`,
        });
      } else if (!eventIds.includes(event.id)) eventIds.push(event.id);
    }
    if (names.length === 0) eventIds.push(...setup.events.map((e) => e.id));

    let id = values.id ?? setup.judges.find((j) => sameText(j.name, name))?.id;
    if (id === undefined) {
      id = freshId('judge', taken);
      taken.add(id);
    }
    const first = fileIds.get(id);
    if (first !== undefined)
      rowErrors.push({
        line,
        field: 'id',
        code: 'duplicate_id',
        params: { value: id, line: first },
        message: `id "${id}" already used on line ${first}`,
      });
    fileIds.set(id, line);

    const parsed = judgeSchema.safeParse({ id, name, role, eventIds });
    if (!parsed.success) rowErrors.push(...issuesAt(line, parsed.error));
    if (rowErrors.length > 0 || !parsed.success) errors.push(...rowErrors);
    else judges.push(parsed.data);
  }
  if (errors.length > 0) {
    const columnOf = (field: string): JudgeColumn | undefined =>
      field === 'eventIds' ? 'events' : judgeColumns.find((c) => c.field === field)?.field;
    return { ok: false, errors: withColumns(errors, mapped.headers, columnOf) };
  }
  return { ok: true, value: judges };
}

/** The set-up with the imported judges added, replacing those with the same id. */
export function mergeJudges(setup: Competition, judges: readonly Judge[]): Competition {
  const ids = new Set(judges.map((j) => j.id));
  return { ...setup, judges: [...setup.judges.filter((j) => !ids.has(j.id)), ...judges] };
}
