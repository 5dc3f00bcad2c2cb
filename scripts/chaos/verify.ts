/**
 * The end-of-run audit: read the store back and compare it with what every judge's tablet showed
 * as saved. An acknowledged op must have exactly one 'marks.submit' log entry (none: lost; more:
 * duplicated), every judge's marks on every sheet must equal the merge of that judge's acked
 * submissions in order, and every board must equal the rebuild from the log.
 */
import Decimal from 'decimal.js';
import { rebuild } from '../../server/domain/rebuild.ts';
import type { LogEntry, Store } from '../../server/store/types.ts';
import type { SavedMark } from './judge.ts';
import { CHAOS_ROUND } from './seed.ts';

export interface Audit {
  acknowledged: number;
  lost: number;
  duplicated: number;
  mismatches: number;
  /** Human-readable descriptions of the first problems found. */
  problems: string[];
  logEntries: number;
  rebuildDifferences: number;
}

export interface JudgeRecord {
  judgeId: string;
  eventId: string;
  saved: SavedMark[];
}

const MAX_PROBLEMS = 20;

/** Every log entry of a competition, oldest first. */
export async function readWholeLog(store: Store, competitionId: string): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (;;) {
    const page = await store.readLog(competitionId, entries.at(-1)?.id, 1000);
    entries.push(...page);
    if (page.length < 1000) return entries;
  }
}

/** Compare the store with the judges' saved marks; see the file comment for the rules. */
export async function audit(store: Store, competitionId: string, judges: JudgeRecord[]): Promise<Audit> {
  const problems: string[] = [];
  const note = (p: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const log = await readWholeLog(store, competitionId);
  const byOpId = new Map<string, LogEntry[]>();
  for (const entry of log) {
    if (entry.type !== 'marks.submit') continue;
    byOpId.set(entry.opId, [...(byOpId.get(entry.opId) ?? []), entry]);
  }

  let acknowledged = 0;
  let lost = 0;
  let duplicated = 0;
  let mismatches = 0;
  const known = new Set<string>();
  const shownSheets = new Set<string>();
  for (const judge of judges) {
    // What the tablet shows: per contestant, the acked submissions merged in order.
    const shown = new Map<string, Record<string, string>>();
    for (const mark of judge.saved) {
      acknowledged++;
      known.add(mark.opId);
      shown.set(mark.contestantId, { ...(shown.get(mark.contestantId) ?? {}), ...mark.marks });
      const entries = byOpId.get(mark.opId) ?? [];
      if (entries.length === 0) {
        lost++;
        note(`lost: ${mark.opId} was acknowledged but is not in the log`);
        continue;
      }
      if (entries.length > 1) {
        duplicated++;
        note(`duplicated: ${mark.opId} is in the log ${entries.length} times`);
      }
      const entry = entries[0] as LogEntry;
      if (entry.actor !== `judge:${judge.judgeId}`) {
        mismatches++;
        note(`mismatch: ${mark.opId} is logged for ${entry.actor}`);
      }
      if (mark.logId !== '' && mark.logId !== entry.id) {
        mismatches++;
        note(`mismatch: ${mark.opId} was acked with log id ${mark.logId} but is logged as ${entry.id}`);
      }
    }
    for (const [contestantId, marks] of shown) {
      shownSheets.add(`${judge.judgeId}|${contestantId}`);
      const key = { eventId: judge.eventId, roundId: CHAOS_ROUND, contestantId };
      const stored = (await store.getSheet(competitionId, key)).value.marks[judge.judgeId] ?? {};
      for (const [criterionId, value] of Object.entries(marks)) {
        const have = stored[criterionId];
        if (have === undefined) {
          lost++;
          note(`lost: ${judge.judgeId}'s ${criterionId}=${value} for ${contestantId} is not on the sheet`);
        } else if (!new Decimal(have).equals(value)) {
          mismatches++;
          note(
            `mismatch: ${judge.judgeId}'s ${criterionId} for ${contestantId}: saved ${value}, stored ${have}`,
          );
        }
      }
      const extra = Object.keys(stored).filter((c) => !(c in marks));
      if (extra.length > 0) {
        mismatches++;
        note(`mismatch: ${judge.judgeId} has unexpected marks ${extra.join(',')} for ${contestantId}`);
      }
    }
  }
  for (const { key, sheet } of await store.getSheets(competitionId)) {
    for (const judgeId of Object.keys(sheet.marks)) {
      if (!shownSheets.has(`${judgeId}|${key.contestantId}`)) {
        mismatches++;
        note(`mismatch: ${judgeId} has marks for ${key.contestantId} that no tablet saw saved`);
      }
    }
  }
  // A sheet write nobody saw acknowledged (the harness retries every op until acked).
  for (const opId of byOpId.keys()) {
    if (!known.has(opId)) {
      mismatches++;
      note(`mismatch: ${opId} is in the log but no judge saw it acknowledged`);
    }
  }
  const report = await rebuild(store, competitionId);
  for (const d of report.differences.slice(0, 5)) {
    note(`rebuild: ${d.kind} ${d.where}${d.row ? ` row ${d.row}` : ''} differs from the log replay`);
  }
  mismatches += report.differences.length;
  return {
    acknowledged,
    lost,
    duplicated,
    mismatches,
    problems,
    logEntries: log.length,
    rebuildDifferences: report.differences.length,
  };
}
