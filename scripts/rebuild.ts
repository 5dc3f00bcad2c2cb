/**
 * `npm run rebuild -- <competitionId>`: replay the competition's log and compare every board, sheet
 * and the control state with what the store holds. Uses REDIS_URL or PODIUM_DATA_DIR like the
 * server. Exit code 0: identical; 1: differences (listed); 2: usage or connection error.
 */
import { loadConfig } from '../server/config.ts';
import { rebuild } from '../server/domain/rebuild.ts';
import { openStore } from '../server/store/index.ts';

const SHOWN = 20;

async function main(): Promise<number> {
  const competitionId = process.argv[2];
  if (competitionId === undefined || competitionId.startsWith('-')) {
    console.error('usage: npm run rebuild -- <competitionId>');
    return 2;
  }
  const config = loadConfig();
  const { store, description } = await openStore(
    config.redisUrl === undefined
      ? { dataDir: config.dataDir }
      : { redisUrl: config.redisUrl, dataDir: config.dataDir },
  );
  try {
    console.log(description);
    const started = performance.now();
    const report = await rebuild(store, competitionId);
    const ms = Math.round(performance.now() - started);
    console.log(
      `${competitionId}: replayed ${report.entries} log entries into ${report.sheets} sheets, ` +
        `${report.boards} boards, ${report.rows} rows in ${ms} ms.`,
    );
    if (report.entries === 0) console.log('The log is empty (unknown competition?).');
    if (report.differences.length === 0) {
      console.log('No differences: every board matches its rebuild from the log.');
      return 0;
    }
    console.log(`${report.differences.length} difference(s):`);
    for (const d of report.differences.slice(0, SHOWN)) {
      const where = d.row === undefined ? d.where : `${d.where} row ${d.row}`;
      console.log(
        `  [${d.kind}] ${where}\n    expected ${JSON.stringify(d.expected)}\n    stored   ${JSON.stringify(d.stored)}`,
      );
    }
    if (report.differences.length > SHOWN) console.log(`  … and ${report.differences.length - SHOWN} more`);
    return 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
