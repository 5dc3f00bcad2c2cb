/**
 * Layering rules, checked on the import statements of every server file: the live and HTTP layers,
 * the domain and auth know a Store only through its interface (server/store/types.ts and the
 * modules beside it), never a particular store's implementation; only server/main.ts and
 * server/store/index.ts choose one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, specifiersOf } from '../../support/imports.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Folders whose files may not import a store or cluster implementation. */
const LAYERS = ['server/live', 'server/http', 'server/domain', 'server/auth'];
const IMPLEMENTATIONS = [
  'server/store/redis/',
  'server/store/embedded/',
  'server/store/memory/',
  'server/store/index.ts',
  // What nodes share is reached through the Cluster interface (server/cluster/types.ts) only.
  'server/cluster/redisCluster.ts',
  'server/cluster/localCluster.ts',
];
/** Folders that reach Redis only through a Store or the Cluster, never with a client of their own. */
const NO_REDIS_CLIENT = ['server/live', 'server/http', 'server/domain'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('import rules', () => {
  it('finds the imports it checks (the scanner sees static, type-only, re-export and dynamic imports)', () => {
    const source = [
      "import { a } from '../store/redis/keys.ts';",
      "import type { B } from '../store/embedded/embeddedStore.ts';",
      "export { c } from './c.ts';",
      "const d = await import('../store/index.ts');",
      "import {\n  e,\n  f,\n} from '../store/memory/memoryStore.ts';",
    ].join('\n');
    expect(importsOf('server/live/x.ts', source)).toEqual([
      'server/store/redis/keys.ts',
      'server/store/embedded/embeddedStore.ts',
      'server/live/c.ts',
      'server/store/memory/memoryStore.ts',
      'server/store/index.ts',
    ]);
  });

  it.each(LAYERS)('nothing under %s imports a store or cluster implementation', (layer) => {
    const files = filesUnder(layer);
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      importsOf(file, readFileSync(join(ROOT, file), 'utf8'))
        .filter((target) => IMPLEMENTATIONS.some((impl) => target === impl || target.startsWith(impl)))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it.each(NO_REDIS_CLIENT)('nothing under %s imports a Redis client or the Redis adapter', (layer) => {
    const offending = filesUnder(layer).flatMap((file) =>
      specifiersOf(readFileSync(join(ROOT, file), 'utf8'))
        .filter((s) => s === 'ioredis' || s.startsWith('@socket.io/redis'))
        .map((s) => `${file} imports ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
