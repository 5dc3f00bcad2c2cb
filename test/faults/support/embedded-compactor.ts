/**
 * Child process for test/faults/embedded-compaction-kill.test.ts: opens the embedded store in the
 * folder argv[2] with compaction forced (as `npm run compact` does), prints `done` and exits —
 * unless the test SIGKILLs it first.
 */
import { writeSync } from 'node:fs';
import { EmbeddedStore } from '../../../server/store/embedded/embeddedStore.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: embedded-compactor <dir>');
const quiet = { warn: () => undefined, info: () => undefined };
const store = await EmbeddedStore.open(dir, { compactAboveBytes: 0, logger: quiet });
await store.close();
writeSync(1, 'done\n');
