/**
 * The worked examples of docs/RULES.md: each is a fenced block tagged `json rules-example` that
 * describes a small event, its sheets and the boards an organiser should see. This module reads
 * them and scores them with the real projection (the same pure functions the server uses).
 */
import { boardKey, type BoardScope } from '../../../shared/boards.ts';
import {
  competitionSchema,
  emptySheet,
  type Competition,
  type Outcome,
  type Sheet,
} from '../../../shared/model.ts';
import { medalFor, rankRows } from '../../../shared/scoring/index.ts';
import { projectAll } from '../../../server/domain/projection.ts';

/** A sheet as written in an example: marks per criterion in judge order (j1, j2, …; null = not yet). */
interface ExampleSheet {
  marks?: Record<string, Array<string | null>>;
  measured?: Record<string, string>;
  deductions?: string[];
  outcome?: Outcome;
  finishedAt?: number;
}

/** One shown row: [id, total as shown ("—" when it has none), rank (null = "—")]. */
type ExpectedRow = [string, string, number | null];

export interface RulesExample {
  /** The heading the example sits under, and its number within the file. */
  title: string;
  /** The prose between the previous example (or heading) and this one. */
  prose: string;
  event: {
    criteria: Array<Record<string, unknown>>;
    scoring?: Record<string, unknown>;
    rounds?: Array<Record<string, unknown>>;
  };
  judges?: number;
  contestants?: Record<string, { team?: string; org?: string }>;
  sheets: Record<string, Record<string, ExampleSheet>>;
  /** Board → rows in order; board is a round id or "overall", optionally followed by " team" / " organisation". */
  expect: Record<string, ExpectedRow[]>;
  /** Medal per contestant on the board named by `medalBoard` (default: the last expected board). */
  medals?: Record<string, 'gold' | 'silver' | 'bronze' | null>;
}

const BLOCK = /^```json rules-example\n([\s\S]*?)^```$/gm;

/** Every example of the markdown text, in order, with the prose that explains it. */
export function readExamples(markdown: string): RulesExample[] {
  const examples: RulesExample[] = [];
  let proseStart = 0;
  let heading = '';
  for (const match of markdown.matchAll(BLOCK)) {
    const before = markdown.slice(proseStart, match.index);
    const headings = [...before.matchAll(/^#{2,3} (?:\d+\. )?(.+)$/gm)];
    heading = headings.at(-1)?.[1] ?? heading;
    const lastHeading = headings.at(-1);
    const prose = lastHeading?.index === undefined ? before : before.slice(lastHeading.index);
    const body = JSON.parse(match[1] ?? '') as Omit<RulesExample, 'title' | 'prose'>;
    examples.push({ ...body, title: `${examples.length + 1}. ${heading}`, prose });
    proseStart = match.index + match[0].length;
  }
  return examples;
}

/** The competition an example describes: event "ev" with judges j1…jN, every contestant in it. */
export function exampleCompetition(example: RulesExample): Competition {
  const judges = example.judges ?? 1;
  const ids = new Set([
    ...Object.keys(example.contestants ?? {}),
    ...Object.values(example.sheets).flatMap((round) => Object.keys(round)),
  ]);
  const teams = new Set(
    [...Object.values(example.contestants ?? {})].flatMap((c) => (c.team ? [c.team] : [])),
  );
  return competitionSchema.parse({
    id: 'rules',
    name: 'Rules',
    events: [
      {
        id: 'ev',
        name: 'Example',
        criteria: example.event.criteria.map((c) => ({ label: String(c['id']), max: 100, step: 0.01, ...c })),
        scoring: { aggregation: { kind: 'mean' }, decimals: 2, ...example.event.scoring },
        rounds: (example.event.rounds ?? [{ id: 'r1' }]).map((r) => ({
          name: String(r['id']),
          kind: 'final',
          mode: 'onsite',
          ...r,
        })),
      },
    ],
    contestants: [...ids].map((id, i) => ({
      id,
      eventId: 'ev',
      bib: String(i + 1),
      name: id,
      organisation: example.contestants?.[id]?.org ?? 'Org',
      region: 'R',
      ...(example.contestants?.[id]?.team === undefined ? {} : { teamId: example.contestants[id]?.team }),
    })),
    teams: [...teams].map((id) => ({ id, name: id })),
    judges: Array.from({ length: judges }, (_, i) => ({
      id: `j${i + 1}`,
      name: `J${i + 1}`,
      role: 'judge',
      eventIds: ['ev'],
    })),
  });
}

function sheetOf(written: ExampleSheet): Sheet {
  const sheet = emptySheet();
  for (const [criterionId, marks] of Object.entries(written.marks ?? {})) {
    marks.forEach((mark, j) => {
      if (mark === null) return;
      const judge = `j${j + 1}`;
      sheet.marks[judge] = { ...sheet.marks[judge], [criterionId]: mark };
    });
  }
  sheet.measured = { ...written.measured };
  sheet.deductions = (written.deductions ?? []).map((points, i) => ({
    id: `d${i + 1}`,
    points,
    reason: 'rule',
  }));
  sheet.outcome = written.outcome ?? 'ok';
  if (written.finishedAt !== undefined) sheet.finishedAt = written.finishedAt;
  return sheet;
}

/** What an example's boards show, in the shape of its `expect` (and its medals). */
export function scoreExample(example: RulesExample): {
  boards: Record<string, ExpectedRow[]>;
  medals: Record<string, string | null>;
} {
  const setup = exampleCompetition(example);
  const sheets = Object.entries(example.sheets).flatMap(([roundId, byContestant]) =>
    Object.entries(byContestant).map(([contestantId, written]) => ({
      key: { eventId: 'ev', roundId, contestantId },
      sheet: sheetOf(written),
    })),
  );
  const projected = projectAll(setup, sheets);
  const boards: Record<string, ExpectedRow[]> = {};
  const medals: Record<string, string | null> = {};
  const event = setup.events[0];
  for (const name of Object.keys(example.expect)) {
    const [roundId = '', scope = 'individual'] = name.split(' ');
    const board = boardKey({ eventId: 'ev', roundId, scope: scope as BoardScope });
    const ranked = rankRows([...(projected.get(board)?.values() ?? [])]);
    boards[name] = ranked.map((r) => [r.id, r.outcome === 'ok' ? r.total : '—', r.rank]);
    const rule = event?.scoring.medals;
    if (rule !== undefined && scope === 'individual') {
      for (const r of ranked) medals[r.id] = medalFor(rule, r.rank, r.total, event?.scoring.better);
    }
  }
  return { boards, medals };
}
