/** Importing contestants from a CSV file: header mapping, lookups, validation of every row. */
import { contestantSchema, type Competition, type Contestant, type Team } from '../../shared/model.ts';
import { issuesAt, mapColumns, withColumns, type ColumnSpec } from './columns.ts';
import type { CsvErrorCode, RowError } from './decode.ts';
import { findEvent, freshId, sameText } from './lookup.ts';
import type { CsvTable } from './parse.ts';

type ContestantColumn = 'id' | 'bib' | 'name' | 'organisation' | 'region' | 'team' | 'category' | 'event';

/** Accepted headers; the first alias of each is the template's header. */
export const contestantColumns: ReadonlyArray<ColumnSpec<ContestantColumn>> = [
  { field: 'bib', aliases: ['参赛号', '编号', '参赛编号', '号码', 'bib', 'number'], required: true },
  { field: 'name', aliases: ['姓名', '选手姓名', 'name'], required: true },
  {
    field: 'organisation',
    aliases: [
      '单位',
      '企业',
      '工作单位',
      '所在单位',
      '单位名称',
      '学校',
      'organisation',
      'organization',
      'company',
    ],
    required: true,
  },
  { field: 'region', aliases: ['地区', '省市', '省份', '所在地区', 'region', 'province'], required: true },
  { field: 'event', aliases: ['赛项', '项目', '比赛项目', 'event'], required: false },
  { field: 'category', aliases: ['组别', '类别', 'category', 'group'], required: false },
  { field: 'team', aliases: ['团队', '队伍', '代表队', 'team'], required: false },
  { field: 'id', aliases: ['选手ID', '选手编号', 'id', 'contestantid'], required: false },
];

export interface ContestantImport {
  /** Every contestant of the file, validated, in file order. */
  contestants: Contestant[];
  /** Teams the file names that the set-up did not have yet (created with fresh ids). */
  newTeams: Team[];
}

export { issuesAt } from './columns.ts';

export type ImportOutcome<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

/**
 * Read contestants from a parsed CSV table against the current set-up. Events and teams are
 * named by id or name; a contestant without an id keeps the id of the set-up's contestant with
 * the same event and bib, else gets the bib (or "<event>-<bib>" when the bib is taken).
 * Any invalid row makes the whole import fail, with every problem listed.
 */
export function readContestants(table: CsvTable, setup: Competition): ImportOutcome<ContestantImport> {
  const mapped = mapColumns(table, contestantColumns);
  const errors: RowError[] = [...table.errors, ...mapped.errors];
  const teams: Team[] = [...setup.teams];
  const newTeams: Team[] = [];
  const usedIds = new Set(setup.contestants.map((c) => c.id));
  const fileIds = new Map<string, number>();
  const fileBibs = new Map<string, number>();
  const contestants: Contestant[] = [];

  for (const { line, values } of mapped.rows) {
    const rowErrors: RowError[] = [];
    const fail = (
      field: string,
      code: CsvErrorCode,
      params: Record<string, string | number>,
      message: string,
    ): void => void rowErrors.push({ line, field, code, params, message });

    let eventId: string | undefined;
    if (values.event !== undefined) {
      eventId = findEvent(setup, values.event)?.id;
      if (eventId === undefined) {
        fail(
          'eventId',
          'unknown_event',
          { value: values.event },
          `no event "${values.event}" in this competition`,
        );
      }
    } else if (setup.events.length === 1) {
      eventId = setup.events[0]?.id;
    } else {
      fail(
        'eventId',
        'event_required',
        {},
        'the event (赛项) is required when the competition has several events',
      );
    }

    let teamId: string | undefined;
    if (values.team !== undefined) {
      const name = values.team;
      let team = teams.find((t) => t.id === name) ?? teams.find((t) => sameText(t.name, name));
      if (team === undefined) {
        team = { id: freshId('team', new Set(teams.map((t) => t.id))), name };
        teams.push(team);
        newTeams.push(team);
      }
      teamId = team.id;
    }

    const bib = values.bib ?? '';
    const existing = setup.contestants.find((c) => c.eventId === eventId && c.bib === bib);
    const id =
      values.id ??
      existing?.id ??
      (usedIds.has(bib) || fileIds.has(bib) ? `${eventId ?? 'event'}-${bib}` : bib);

    const candidate = {
      id,
      eventId: eventId ?? '',
      bib,
      name: values.name ?? '',
      organisation: values.organisation ?? '',
      region: values.region ?? '',
      ...(teamId === undefined ? {} : { teamId }),
      ...(values.category === undefined ? {} : { category: values.category }),
    };
    const parsed = contestantSchema.safeParse(candidate);
    if (!parsed.success) {
      // One message per field: skip what the lookups already said, and a derived id's echo of a bad bib.
      const said = new Set(rowErrors.map((e) => e.field));
      if (values.id === undefined) said.add('id');
      const issues = issuesAt(line, parsed.error);
      const fresh = issues.filter((e) => !said.has(e.field));
      rowErrors.push(...(fresh.length > 0 || rowErrors.length > 0 ? fresh : issues));
    }

    const firstWithId = fileIds.get(id);
    if (firstWithId !== undefined) {
      fail(
        'id',
        'duplicate_id',
        { value: id, line: firstWithId },
        `id "${id}" already used on line ${firstWithId}`,
      );
    }
    const bibKey = `${eventId ?? ''}|${bib}`;
    const firstWithBib = fileBibs.get(bibKey);
    if (firstWithBib !== undefined) {
      const message = `bib "${bib}" already used on line ${firstWithBib}`;
      fail('bib', 'duplicate_bib', { value: bib, line: firstWithBib }, message);
    }
    const clash = setup.contestants.find((c) => c.eventId === eventId && c.bib === bib && c.id !== id);
    if (clash !== undefined) {
      const message = `bib "${bib}" already belongs to contestant ${clash.id}`;
      fail('bib', 'bib_taken', { value: bib, contestant: `${clash.bib} ${clash.name}` }, message);
    }
    fileIds.set(id, line);
    fileBibs.set(bibKey, line);

    if (rowErrors.length > 0 || !parsed.success) errors.push(...rowErrors);
    else contestants.push(parsed.data);
  }
  if (errors.length > 0) return { ok: false, errors: withColumns(errors, mapped.headers, columnOfField) };
  return { ok: true, value: { contestants, newTeams } };
}

/** The set-up with the imported contestants added, replacing those with the same id. */
export function mergeContestants(setup: Competition, imported: ContestantImport): Competition {
  const byId = new Map(imported.contestants.map((c) => [c.id, c]));
  const kept = setup.contestants.filter((c) => !byId.has(c.id));
  return {
    ...setup,
    teams: [...setup.teams, ...imported.newTeams],
    contestants: [...kept, ...imported.contestants],
  };
}

/** The column a model field of a contestant comes from. */
function columnOfField(field: string): ContestantColumn | undefined {
  if (field === 'eventId') return 'event';
  if (field === 'teamId') return 'team';
  return contestantColumns.find((c) => c.field === field)?.field;
}
