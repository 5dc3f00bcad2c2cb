/**
 * `npm run compact`: compact the embedded store in PODIUM_DATA_DIR (default ./data) now, whatever
 * the size of its log — with the server stopped (the data folder's lock refuses a running one).
 * The state goes to store.snapshot, the log to archive/, and store.log starts again; see
 * docs/STORAGE.md, "Compaction". Exit code 0: compacted (or nothing to do); 2: error.
 */
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { EmbeddedStore, LOG_FILE_NAME } from '../server/store/embedded/embeddedStore.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.redisUrl !== undefined) {
    console.error('REDIS_URL is set: compaction is for the embedded store only (Redis keeps its own files).');
    return 2;
  }
  let compacted = false;
  const store = await EmbeddedStore.open(config.dataDir, {
    compactAboveBytes: 0,
    logger: {
      warn: (m) => console.warn(m),
      info: (m) => {
        compacted ||= m.startsWith('Compacted');
        console.log(m);
      },
    },
  });
  await store.close();
  if (!compacted) {
    console.log(
      `Nothing to compact: ${join(config.dataDir, LOG_FILE_NAME)} holds no change since the last compaction.`,
    );
  }
  return 0;
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
