/** `npm run schema`: write docs/schema/*.json from the zod schemas (scripts/schema/catalog.ts). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from './schema/catalog.ts';

const dir = join(import.meta.dirname, '..', 'docs', 'schema');
mkdirSync(dir, { recursive: true });
const files = schemaFiles();
for (const old of readdirSync(dir)) if (old.endsWith('.json') && !files.has(old)) rmSync(join(dir, old));
for (const [name, text] of files) writeFileSync(join(dir, name), text);
console.log(`wrote ${files.size} schemas to docs/schema/`);
