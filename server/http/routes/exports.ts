/** Downloads: import templates, results as CSV, the audit log as CSV or JSON. */
import { Router } from 'express';
import { parseBoardKey, type RankedRow } from '../../../shared/boards.ts';
import type { Competition, Outcome } from '../../../shared/model.ts';
import { contestantTemplate, csvLines, judgeTemplate, writeCsv, type CsvCell } from '../../csv/index.ts';
import { boardsOfSetup, findBoard } from '../../domain/boardList.ts';
import { crossEventStandings, resultBoard } from '../../domain/crossEvent.ts';
import { PodiumError } from '../../domain/errors.ts';
import { presentedSetup, standingHidden } from '../../domain/visibility.ts';
import type { Store } from '../../store/types.ts';
import { requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { downloadName, namedAttachment } from '../downloadName.ts';
import { attachment, logPages, sendChunks } from '../stream.ts';
import { idParam } from '../validate.ts';

const OUTCOME: Record<Outcome, string> = { ok: '', dns: '缺赛 DNS', dnf: '未完成 DNF', dsq: '取消资格 DSQ' };
const PAGE = 1000;

/** The rank column: the rank, or "—" for a dns/dnf/dsq row (no placing; docs/RULES.md). */
function rankCell(rank: number | null): CsvCell {
  return rank ?? '—';
}

async function setupOf(store: Store, id: string): Promise<Competition> {
  const setup = (await store.getSetup(id)).value;
  if (setup === null) throw new PodiumError('not_found', `no competition ${id}`);
  return setup;
}

/** A board's rows as a CSV table whose columns suit the board's scope. */
async function resultsCsv(
  store: Store,
  setup: Competition,
  board: string,
  withheld: boolean,
): Promise<string> {
  const ref = parseBoardKey(board);
  if (ref === null || !setup.events.some((e) => e.id === ref.eventId)) {
    throw new PodiumError('not_found', `board ${board} does not exist`);
  }
  // A standing withheld until an anonymised event is decoded (visibility.ts): the header only.
  const size = withheld ? 0 : await store.boardSize(setup.id, board);
  const contestants = new Map(setup.contestants.map((c) => [c.id, c]));
  const teams = new Map(setup.teams.map((t) => [t.id, t.name]));
  const tail = ['总分', '成绩完整', '状态'];
  const header =
    ref.scope === 'individual'
      ? ['名次', '参赛号', '姓名', '单位', '地区', '组别', '团队', ...tail]
      : ref.scope === 'team'
        ? ['名次', '团队', ...tail]
        : ['名次', '单位', ...tail];
  const rows: CsvCell[][] = [];
  for (let offset = 0; offset < size; offset += PAGE) {
    for (const row of await store.top(setup.id, board, offset, PAGE)) {
      // A dns/dnf/dsq row has no total either: its status column says why.
      const end = [row.outcome === 'ok' ? row.total : '—', row.complete ? '是' : '否', OUTCOME[row.outcome]];
      if (ref.scope === 'individual') {
        const c = contestants.get(row.id);
        const team = c?.teamId === undefined ? '' : (teams.get(c.teamId) ?? c.teamId);
        rows.push([
          rankCell(row.rank),
          c?.bib,
          c?.name ?? row.id,
          c?.organisation,
          c?.region,
          c?.category,
          team,
          ...end,
        ]);
      } else if (ref.scope === 'team') {
        rows.push([rankCell(row.rank), teams.get(row.id) ?? row.id, ...end]);
      } else {
        rows.push([rankCell(row.rank), row.id, ...end]);
      }
    }
  }
  return writeCsv(header, rows);
}

const AUDIT_HEADER = ['id', 'time', 'actor', 'type', 'opId', 'payload'];

/** GET /templates/*.csv, GET /competitions/:id/boards, results.csv, audit.csv, audit.json. */
export function exportRoutes(deps: HttpDeps): Router {
  const { auth, store } = deps;
  const router = Router();
  const organiser = requireActor(auth, 'organiser');
  // Results name contestants only where visibility.ts allows (drawn numbers before a decode).
  const shownSetup = async (id: string): Promise<Competition> => {
    const setup = await setupOf(store, id);
    const { draws } = await deps.service.getControl(id);
    const shown = presentedSetup(setup, draws);
    return { ...setup, contestants: shown.contestants, teams: shown.teams };
  };

  router.get('/templates/contestants.csv', (_req, res) => {
    attachment(res, 'text/csv; charset=utf-8', 'contestants.csv');
    res.send(contestantTemplate());
  });

  router.get('/templates/judges.csv', (_req, res) => {
    attachment(res, 'text/csv; charset=utf-8', 'judges.csv');
    res.send(judgeTemplate());
  });

  router.get('/competitions/:id/boards', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const setup = await setupOf(store, id);
    // Every board the set-up defines (even before its first mark), plus any that hold rows.
    const boards = new Set([...boardsOfSetup(setup).map((b) => b.board), ...(await store.listBoards(id))]);
    res.json({ ok: true, boards: [...boards].sort() });
  });

  router.get('/competitions/:id/standardised', organiser, async (req, res) => {
    const setup = await setupOf(store, idParam(req, 'id'));
    const rowsByEvent = new Map<string, RankedRow[]>();
    for (const event of setup.events) {
      const board = resultBoard(event);
      const size = await store.boardSize(setup.id, board);
      const rows: RankedRow[] = [];
      for (let offset = 0; offset < size; offset += PAGE) {
        rows.push(...(await store.top(setup.id, board, offset, PAGE)));
      }
      rowsByEvent.set(event.id, rows);
    }
    res.json({ ok: true, rows: crossEventStandings(setup, rowsByEvent) });
  });

  router.get('/competitions/:id/results.csv', organiser, async (req, res) => {
    const setup = await shownSetup(idParam(req, 'id'));
    const board = req.query.board;
    if (typeof board !== 'string' || board === '') {
      throw new PodiumError('invalid_payload', 'board: give the board id, e.g. ?board=weld|r1|individual');
    }
    const { draws } = await deps.service.getControl(setup.id);
    const csv = await resultsCsv(store, setup, board, standingHidden(setup, board, draws));
    const info = findBoard(boardsOfSetup(setup), board);
    namedAttachment(
      res,
      'text/csv; charset=utf-8',
      downloadName([setup.name, info?.name, '成绩 results'], 'csv'),
    );
    res.send(csv);
  });

  router.get('/competitions/:id/audit.csv', organiser, async (req, res) => {
    const id = (await setupOf(store, idParam(req, 'id'))).id;
    attachment(res, 'text/csv; charset=utf-8', `${id}-audit.csv`);
    await sendChunks(
      res,
      (async function* () {
        yield writeCsv(AUDIT_HEADER, []);
        for await (const page of logPages(store, id)) {
          const rows = page.map((e) => [
            e.id,
            new Date(e.at).toISOString(),
            e.actor,
            e.type,
            e.opId,
            JSON.stringify(e.payload),
          ]);
          yield csvLines(rows);
        }
      })(),
    );
  });

  router.get('/competitions/:id/audit.json', organiser, async (req, res) => {
    const id = (await setupOf(store, idParam(req, 'id'))).id;
    attachment(res, 'application/json; charset=utf-8', `${id}-audit.json`);
    await sendChunks(
      res,
      (async function* () {
        yield `{"ok":true,"competitionId":${JSON.stringify(id)},"entries":[`;
        let first = true;
        for await (const page of logPages(store, id)) {
          yield (first ? '' : ',') + page.map((e) => JSON.stringify(e)).join(',');
          first = false;
        }
        yield ']}';
      })(),
    );
  });

  return router;
}
